using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Access;
using Coffer.Core.Audit;
using Coffer.Core.Aws;
using Coffer.Core.Crypto;
using Coffer.Core.Storage;

namespace Coffer.Core.Kms;

/// <summary>
/// KMS: symmetric keys with versioned material, aliases, policies, tags, rotation and deletion.
/// Every method authorizes the call against the key (with its key policy) before acting. Key
/// material is unwrapped from the root key once and cached; plaintext material never leaves here.
/// </summary>
public sealed partial class KeyService(ICofferStore store, Keyring keyring, IAuthorizer authorizer, AuditLog audit, TimeProvider time, ReadCache reads)
{
    private const string ResourceType = "AWS::KMS::Key";
    private readonly ConcurrentDictionary<(Guid KeyId, int Version), byte[]> _materials = new();

    /// <summary>KeyMaterialIds worked out, by key and version: every Decrypt answers one (issue 11).</summary>
    private readonly ConcurrentDictionary<(Guid KeyId, int Version), string> _materialIds = new();

    /// <summary>Key records by id and Region, as every decryption reads them (issue 11).</summary>
    private readonly ReadCache.Region<(Guid KeyId, string Region), KmsKey?> _keyRecords =
        reads.For<(Guid KeyId, string Region), KmsKey?>(StoreChange.Keys, static (_, v) => ReadCacheWeights.Of(v));

    /// <summary>Services whose predefined <c>alias/aws/NAME</c> makes an AWS managed key on first use.</summary>
    public static readonly IReadOnlySet<string> AwsManagedServices = new HashSet<string>(StringComparer.Ordinal)
    {
        "acm", "dynamodb", "ebs", "elasticfilesystem", "es", "glue", "kinesis", "lambda", "rds",
        "redshift", "s3", "secretsmanager", "sns", "sqs", "ssm", "xray",
    };

    /// <summary>Forgets cached key material (after a reset, or a key's deletion).</summary>
    public void ClearCache()
    {
        _materials.Clear();
        _materialIds.Clear();
    }

    /// <summary>Finds the key that a KeyId names: a key id, key ARN, alias name or alias ARN.
    /// A predefined AWS alias with no key yet gets its AWS managed key now, as in AWS.</summary>
    public async Task<KmsKey> ResolveAsync(Call call, string keyId, CancellationToken ct)
    {
        var reference = KeyReference.Parse(keyId, call);
        var key = await store.ReadAsync((s, c) => reference.FindAsync(s, c), ct);
        if (key is not null)
        {
            return key;
        }

        if (reference.AwsManagedService is { } service && reference.Account == call.AccountId)
        {
            return await store.WriteAsync(async (s, c) => await reference.FindAsync(s, c) ?? await CreateAwsManagedKeyAsync(s, call, service, c), ct);
        }

        throw reference.NotFound();
    }

    /// <summary>Resolution inside a transaction, without making AWS managed keys.</summary>
    private static async ValueTask<KmsKey> ResolveInAsync(IStoreSession s, Call call, string keyId, CancellationToken ct)
    {
        var reference = KeyReference.Parse(keyId, call);
        return await reference.FindAsync(s, ct) ?? throw reference.NotFound();
    }

    /// <summary>Resolution that accepts only a key id or key ARN, as TargetKeyId requires.</summary>
    private static async ValueTask<KmsKey> ResolveKeyOnlyAsync(IStoreSession s, Call call, string keyId, CancellationToken ct)
    {
        var reference = KeyReference.Parse(keyId, call);
        if (reference.AliasName is not null)
        {
            throw KmsErrors.Validation($"TargetKeyId '{keyId}' must be a key id or key ARN, not an alias.");
        }

        return await reference.FindAsync(s, ct) ?? throw reference.NotFound();
    }

    /// <summary>Authorizes an action on a key: its key policy and the caller's IAM policies decide; when they
    /// only decline (no explicit deny), a grant for the caller may still allow it, as in AWS. Grants are read
    /// only then, so a call that policies allow costs no store read. Returns the grant that allowed, if any.
    /// Inside a write, <paramref name="within"/> is its session: what the decision reads is read through it.
    /// An allowing decision that completes at once (the caller's policies cached) completes at once here too.</summary>
    private ValueTask<KmsGrant?> AuthorizeAsync(Call call, KmsKey key, string action, IReadOnlyDictionary<string, IReadOnlyList<string>>? conditions = null, IStoreSession? within = null, CancellationToken ct = default)
    {
        call.AddResource(key.Arn, ResourceType);
        var decision = authorizer.DecideAsync(call, Request(key, action, conditions), within, ct);
        if (!decision.IsCompletedSuccessfully)
        {
            return AwaitDecisionAsync(call, key, action, conditions, within, decision, ct);
        }

        var decided = decision.Result;
        return decided.IsAllowed ? default : GrantOrDenyAsync(call, key, action, conditions, within, decided, ct);
    }

    private async ValueTask<KmsGrant?> AwaitDecisionAsync(Call call, KmsKey key, string action, IReadOnlyDictionary<string, IReadOnlyList<string>>? conditions, IStoreSession? within, ValueTask<AccessDecision> pending, CancellationToken ct)
    {
        var decision = await pending;
        return decision.IsAllowed ? null : await GrantOrDenyAsync(call, key, action, conditions, within, decision, ct);
    }

    /// <summary>After policies declined: the grant that allows, or AccessDenied.</summary>
    private async ValueTask<KmsGrant?> GrantOrDenyAsync(Call call, KmsKey key, string action, IReadOnlyDictionary<string, IReadOnlyList<string>>? conditions, IStoreSession? within, AccessDecision decision, CancellationToken ct)
    {
        if (decision.Decision == Access.Decision.ImplicitDeny && await FindAllowingGrantAsync(call, key, action, conditions, within, ct) is { } grant)
        {
            return grant;
        }

        throw CommonErrors.AccessDenied(AccessDecision.Message(call.Principal.Arn, action, key.Arn, decision.Reason!));
    }

    /// <summary>The access request for an action on a key: its key policy, and its tags as aws:ResourceTag/... keys.</summary>
    private static AccessRequest Request(KmsKey key, string action, IReadOnlyDictionary<string, IReadOnlyList<string>>? conditions = null)
    {
        if (key.Tags.Count > 0 || key.MultiRegion)
        {
            var keys = conditions is null
                ? new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, IReadOnlyList<string>>(conditions, StringComparer.OrdinalIgnoreCase);
            foreach (var tag in key.Tags)
            {
                keys["aws:ResourceTag/" + tag.Key] = [tag.Value];
            }

            if (key.MultiRegion)
            {
                keys["kms:MultiRegion"] = ["true"];
                keys["kms:MultiRegionKeyType"] = [key.IsReplica ? "REPLICA" : "PRIMARY"];
            }

            conditions = keys;
        }

        return new AccessRequest(action, key.Arn) { ResourcePolicy = key.Policy, ConditionKeys = conditions };
    }

    /// <summary>Whether the caller may see a key in a listing: it may describe it.</summary>
    private ValueTask<bool> MayListAsync(Call call, KmsKey key, CancellationToken ct) => authorizer.IsAllowedAsync(call, Request(key, "kms:DescribeKey"), cancellationToken: ct);

    /// <summary>The plaintext material of a key version, unwrapped once and then served from memory
    /// (a cached one completes at once).</summary>
    private ValueTask<byte[]> MaterialAsync(KmsKey key, int version, CancellationToken ct)
    {
        var cached = _materials.TryGetValue((key.KeyId, version), out var material);
        Diagnostics.CofferMetrics.CacheLookup("kms_material", cached);
        return cached ? new ValueTask<byte[]>(material!) : UnwrapMaterialAsync(key, version, ct);
    }

    private async ValueTask<byte[]> UnwrapMaterialAsync(KmsKey key, int version, CancellationToken ct)
    {
        var wrapped = await store.ReadAsync((s, c) => s.Kms.FindMaterialAsync(key.KeyId, version, c), ct);
        if (wrapped is null)
        {
            throw KmsErrors.InvalidCiphertext();
        }

        var material = keyring.Root.Unwrap(wrapped, MaterialPurpose(key.KeyId, version));
        return _materials.GetOrAdd((key.KeyId, version), material);
    }

    private async ValueTask AddMaterialAsync(IStoreSession s, Guid keyId, int version, DateTimeOffset now, CancellationToken ct)
    {
        var material = RandomNumberGenerator.GetBytes(32);
        var wrapped = keyring.Root.Wrap(material, MaterialPurpose(keyId, version));
        CryptographicOperations.ZeroMemory(material);
        await s.Kms.InsertMaterialAsync(keyId, version, wrapped, now, ct);
    }

    private static string MaterialPurpose(Guid keyId, int version) => $"kms-material:{keyId:D}:{version}";

    /// <summary><see cref="KeyMaterialId"/>, worked out once for each key and version.</summary>
    private string MaterialIdOf(Guid keyId, int version) =>
        _materialIds.GetOrAdd((keyId, version), static k => KeyMaterialId(k.KeyId, k.Version));

    /// <summary>AWS's 64-hex-digit KeyMaterialId, derived so that it need not be stored.</summary>
    public static string KeyMaterialId(Guid keyId, int version) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"coffer-key-material:{keyId:D}:{version}")));

    private static void RequireUsable(KmsKey key)
    {
        switch (key.State)
        {
            case KeyState.Disabled:
                throw KmsErrors.Disabled(key.Arn);
            case KeyState.PendingDeletion or KeyState.PendingReplicaDeletion:
                throw KmsErrors.PendingDeletion(key.Arn);
            case KeyState.PendingImport:
                throw KmsErrors.PendingImport(key.Arn);
        }
    }

    private static void RequireNotPendingDeletion(KmsKey key)
    {
        if (key.State is KeyState.PendingDeletion or KeyState.PendingReplicaDeletion)
        {
            throw KmsErrors.PendingDeletion(key.Arn);
        }
    }

    private static void RequireCustomerManaged(KmsKey key)
    {
        if (key.IsAwsManaged)
        {
            throw KmsErrors.AwsManaged(key.Arn);
        }
    }

    private async ValueTask<KmsKey> CreateAwsManagedKeyAsync(IStoreSession s, Call call, string service, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var key = new KmsKey
        {
            KeyId = Guid.NewGuid(),
            AccountId = call.AccountId,
            Region = call.Region,
            CreationDate = now,
            Description = $"Default key that protects my {service} data when no other key is defined",
            KeyManager = "AWS",
            Policy = KeyPolicies.AwsManaged(call.AccountId, call.Region, service),
            RotationEnabled = true,
            RotationPeriodInDays = 365,
            NextRotationDate = now.AddDays(365),
        };
        await s.Kms.InsertKeyAsync(key, ct);
        await AddMaterialAsync(s, key.KeyId, 1, now, ct);
        await s.Kms.UpsertAliasAsync(new KmsAlias(call.AccountId, call.Region, "alias/aws/" + service, key.KeyId, now, now), ct);
        return key;
    }

    /// <summary>Condition keys that describe an encryption context, for kms:EncryptionContext:... conditions;
    /// made when a policy or grant first asks for one.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ContextConditions(IReadOnlyDictionary<string, string>? context, string? viaService, string callerAccount) =>
        new LazyConditionDictionary<(IReadOnlyDictionary<string, string>? Context, string? ViaService, string CallerAccount)>(
            (context, viaService, callerAccount), static s => MakeContextConditions(s.Context, s.ViaService, s.CallerAccount));

    private static Dictionary<string, IReadOnlyList<string>> MakeContextConditions(IReadOnlyDictionary<string, string>? context, string? viaService, string callerAccount)
    {
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:CallerAccount"] = [callerAccount],
        };
        if (viaService is not null)
        {
            keys["kms:ViaService"] = [viaService];
        }

        if (context is { Count: > 0 })
        {
            keys["kms:EncryptionContextKeys"] = [.. context.Keys];
            foreach (var (k, v) in context)
            {
                keys["kms:EncryptionContext:" + k] = [v];
            }
        }

        return keys;
    }

    /// <summary>One parsed KeyId: which account, region and key or alias it names.</summary>
    private sealed record KeyReference(string Text, string Account, string Region, Guid? KeyId, string? AliasName)
    {
        public string? AwsManagedService =>
            AliasName is { } name && name.StartsWith("alias/aws/", StringComparison.Ordinal) && AwsManagedServices.Contains(name["alias/aws/".Length..])
                ? name["alias/aws/".Length..]
                : null;

        public static KeyReference Parse(string text, Call call)
        {
            if (text.StartsWith("alias/", StringComparison.Ordinal))
            {
                return new KeyReference(text, call.AccountId, call.Region, null, text);
            }

            if (text.StartsWith("arn:", StringComparison.Ordinal))
            {
                if (!Arn.TryParse(text, out var arn) || arn.Value.Service != "kms" || arn.Value.Account.Length == 0)
                {
                    throw KmsErrors.InvalidArn(text);
                }

                var a = arn.Value;
                if (a.Resource.StartsWith("alias/", StringComparison.Ordinal))
                {
                    return new KeyReference(text, a.Account, a.Region, null, a.Resource);
                }

                if (a.Resource.StartsWith("key/", StringComparison.Ordinal) && KeyIds.TryParse(a.Resource[4..], out var id))
                {
                    return new KeyReference(text, a.Account, a.Region, id, null);
                }

                throw KmsErrors.InvalidArn(text);
            }

            if (KeyIds.TryParse(text, out var keyId))
            {
                return new KeyReference(text, call.AccountId, call.Region, keyId, null);
            }

            throw KmsErrors.InvalidKeyId(text);
        }

        public async ValueTask<KmsKey?> FindAsync(IStoreSession s, CancellationToken ct)
        {
            var id = KeyId;
            if (AliasName is not null)
            {
                id = (await s.Kms.FindAliasAsync(Account, Region, AliasName, ct))?.TargetKeyId;
            }

            if (id is null)
            {
                return null;
            }

            var key = await s.Kms.FindKeyAsync(id.Value, Region, ct);
            return key is not null && key.AccountId == Account ? key : null;
        }

        public CofferException NotFound() => AliasName is not null
            ? KmsErrors.AliasNotFound(Arn.For("kms", Region, Account, AliasName).ToString())
            : KmsErrors.KeyNotFound(KmsArns.Key(Region, Account, KeyId!.Value));
    }
}
