using System.Collections.Concurrent;
using Coffer.Core.Access;
using Coffer.Core.Audit;
using Coffer.Core.Aws;
using Coffer.Core.Kms;
using Coffer.Core.Pipeline;
using Coffer.Core.Storage;

namespace Coffer.Core.Secrets;

/// <summary>
/// Secrets Manager: secrets with versions and staging labels, values encrypted through the KMS
/// service (never by hand), resource policies, tags, deletion windows and rotation. Every method
/// resolves the secret, authorizes the call once with the IAM action and the secret's resource
/// policy, and writes a change together with its audit record and event.
/// </summary>
public sealed partial class SecretService(ICofferStore store, KeyService keys, IAuthorizer authorizer, AuditLog audit, CallPipeline pipeline, TimeProvider time, IRotationFunctions functions, ReadCache reads, Microsoft.Extensions.Logging.ILogger<SecretService>? logger = null)
{
    /// <summary>Secrets by account, Region and the id a caller named them by, and their encrypted values (issue 11).</summary>
    private readonly ReadCache.Region<(string Account, string Region, string SecretId), Secret?> _secretReads =
        reads.For<(string Account, string Region, string SecretId), Secret?>(StoreChange.Secrets, static (k, v) => ReadCacheWeights.Of(k.SecretId) + ReadCacheWeights.Of(v));

    private readonly ReadCache.Region<(string Arn, string VersionId), byte[]?> _valueReads =
        reads.For<(string Arn, string VersionId), byte[]?>(StoreChange.Secrets, static (k, v) => ReadCacheWeights.Of(k.Arn) + ReadCacheWeights.Of(k.VersionId) + ReadCacheWeights.Of(v));

    public const string DefaultKmsKey = "alias/aws/secretsmanager";
    public const string EventSource = "secretsmanager.amazonaws.com";
    private const string ResourceType = "AWS::SecretsManager::Secret";

    /// <summary>Rotations running in the background, by secret ARN.</summary>
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Finds a secret by name, full ARN or partial ARN (the ARN without its random suffix), as AWS
    /// does, and authorizes the action on it. A caller who may not do the action on a secret of
    /// that name is denied whether the secret exists or not, with the same message (naming the
    /// secret as the caller did), so a denied caller cannot learn which names exist (issue 8).
    /// A cached secret and a cached identity complete at once.
    /// </summary>
    private async ValueTask<Secret> LoadAsync(Call call, string secretId, string action, CancellationToken ct, string? versionStage = null) =>
        await AuthorizedAsync(
            await _secretReads.GetAsync((call.AccountId, call.Region, secretId), (call, secretId), static (s, x, ct) => TryFindAsync(s, x.call, x.secretId, ct), ct),
            call, secretId, action, versionStage, within: null, ct);

    private async ValueTask<Secret> LoadAsync(IStoreSession s, Call call, string secretId, string action, CancellationToken ct, string? versionStage = null) =>
        await AuthorizedAsync(await TryFindAsync(s, call, secretId, ct), call, secretId, action, versionStage, within: s, ct);

    /// <param name="within">The session of the write the check runs in, if any.</param>
    private async ValueTask<Secret> AuthorizedAsync(Secret? secret, Call call, string secretId, string action, string? versionStage, IStoreSession? within, CancellationToken ct)
    {
        if (secret is null)
        {
            await authorizer.AuthorizeAsync(call, Absent(call, secretId, action, versionStage), within, ct);
            throw SecretsErrors.NotFound();
        }

        call.AddResource(secret.Arn, ResourceType);
        await authorizer.AuthorizeAsync(call, Request(secret, action, versionStage) with { ShownAs = secretId }, within, ct);
        if (secret.IsReplica && !ReplicaActions.Contains(action))
        {
            throw SecretsErrors.ReplicaReadOnly();
        }

        return secret;
    }

    /// <summary>The request for a secret that does not exist: the ARN a secret of that name would have,
    /// its random suffix left as wildcards, so that policies written for <c>NAME-??????</c> or
    /// <c>NAME*</c> decide as they would for the secret itself.</summary>
    private static AccessRequest Absent(Call call, string secretId, string action, string? versionStage)
    {
        var arn = secretId.StartsWith("arn:", StringComparison.Ordinal)
            ? secretId
            : Arn.For("secretsmanager", call.Region, call.AccountId, "secret:" + secretId + "-??????").ToString();
        var conditions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["secretsmanager:SecretId"] = [arn],
        };
        if (versionStage is not null)
        {
            conditions["secretsmanager:VersionStage"] = [versionStage];
        }

        return new AccessRequest(action, arn) { ConditionKeys = conditions, ShownAs = secretId };
    }

    private static async ValueTask<Secret?> TryFindAsync(IStoreSession s, Call call, string secretId, CancellationToken ct)
    {
        if (!secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return await ViewAsync(s, await s.Secrets.FindByNameAsync(call.AccountId, call.Region, secretId, ct), ct);
        }

        return Arn.TryParse(secretId, out var arn) && arn.Value.Region == call.Region ? await ViewAsync(s, await FindByArnAsync(s, secretId, ct), ct) : null;
    }

    /// <summary>A secret by its full ARN or its partial ARN (the ARN without its random suffix), in any account and Region.</summary>
    internal static async ValueTask<Secret?> FindByArnAsync(IStoreSession s, string secretArn, CancellationToken ct) =>
        Arn.TryParse(secretArn, out var arn) && arn.Value.Service == "secretsmanager" && arn.Value.Resource.StartsWith("secret:", StringComparison.Ordinal)
            ? await s.Secrets.FindAsync(secretArn, ct) ?? await s.Secrets.FindByNameAsync(arn.Value.Account, arn.Value.Region, arn.Value.Resource["secret:".Length..], ct)
            : null;

    private ValueTask AuthorizeAsync(Call call, Secret secret, string action, CancellationToken ct, string? versionStage = null)
    {
        call.AddResource(secret.Arn, ResourceType);
        return authorizer.AuthorizeAsync(call, Request(secret, action, versionStage), cancellationToken: ct);
    }

    private static AccessRequest Request(Secret secret, string action, string? versionStage = null) =>
        new(action, secret.Arn)
        {
            ResourcePolicy = secret.ResourcePolicy,
            // Made when a policy first asks for a condition key (issue 11).
            ConditionKeys = new LazyConditionDictionary<(Secret Secret, string? VersionStage)>((secret, versionStage), static s => Conditions(s.Secret, s.VersionStage)),
        };

    private static Dictionary<string, IReadOnlyList<string>> Conditions(Secret secret, string? versionStage)
    {
        var conditions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["secretsmanager:SecretId"] = [secret.Arn],
        };
        if (versionStage is not null)
        {
            conditions["secretsmanager:VersionStage"] = [versionStage];
        }

        foreach (var tag in secret.Tags)
        {
            conditions["secretsmanager:ResourceTag/" + tag.Key] = [tag.Value];
            conditions["aws:ResourceTag/" + tag.Key] = [tag.Value];
        }

        return conditions;
    }

    /// <summary>The shape of every change to one secret: resolve, authorize, change, store, audit, in one transaction.
    /// The change runs on the writer after any concurrent change, so it sees the secret as it is now.</summary>
    private async Task<Secret> UpdateAsync(Call call, string secretId, string action, Func<Secret, IStoreSession, CancellationToken, ValueTask<Secret>> change, CancellationToken ct, bool allowDeleted = false)
    {
        await LoadAsync(call, secretId, action, ct);
        return await audit.WriteChangeAsync(call, async (s, ct) =>
        {
            var secret = await LoadAsync(s, call, secretId, action, ct);
            if (secret.IsDeleted && !allowDeleted)
            {
                throw SecretsErrors.MarkedForDeletion();
            }

            var updated = await change(secret, s, ct);
            await s.Secrets.UpdateAsync(updated, ct);
            return updated;
        }, ct);
    }

    /// <summary><see cref="UpdateAsync(Call, string, string, Func{Secret, IStoreSession, CancellationToken, ValueTask{Secret}}, CancellationToken, bool)"/>
    /// for a change of the secret alone, that writes nothing else.</summary>
    private Task<Secret> UpdateAsync(Call call, string secretId, string action, Func<Secret, Secret> change, CancellationToken ct, bool allowDeleted = false) =>
        UpdateAsync(call, secretId, action, (secret, _, _) => new ValueTask<Secret>(change(secret)), ct, allowDeleted);

    private static void RequireNotDeleted(Secret secret)
    {
        if (secret.IsDeleted)
        {
            throw SecretsErrors.MarkedForDeletion();
        }
    }

    private static Dictionary<string, string> EncryptionContext(string arn, string versionId) =>
        new(StringComparer.Ordinal) { ["SecretARN"] = arn, ["SecretVersionId"] = versionId };

    private static readonly RegionalName Endpoint = new("secretsmanager");

    private static string ViaService(Call call) => Endpoint.In(call.Region);

    /// <summary>Encrypts a version's value under the secret's KMS key, with AWS's encryption context.</summary>
    private async Task<EncryptResult> EncryptAsync(Call call, string? kmsKeyId, string arn, string versionId, SecretValue value, CancellationToken ct)
    {
        var plaintext = value.ToBytes();
        try
        {
            return await keys.EncryptAsync(call, string.IsNullOrEmpty(kmsKeyId) ? DefaultKmsKey : kmsKeyId, plaintext, EncryptionContext(arn, versionId), viaService: ViaService(call), ct: ct);
        }
        catch (CofferException e) when (e.Code != ErrorCodes.AccessDenied)
        {
            throw SecretsErrors.EncryptionFailure(e.Message);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private async Task<SecretValue> DecryptAsync(Call call, Secret secret, SecretVersion version, CancellationToken ct)
    {
        var at = (secret.StorageArn, version.VersionId);
        var blob = await _valueReads.GetAsync(at, at, static (s, v, ct) => s.Secrets.FindValueAsync(v.StorageArn, v.VersionId, ct), ct);
        if (blob is null || version.Kind is not { } kind)
        {
            throw SecretsErrors.ValueNotFound("VersionId", version.VersionId);
        }

        DecryptResult result;
        try
        {
            result = await keys.DecryptAsync(call, blob, EncryptionContext(secret.StorageArn, version.VersionId), viaService: secret.IsReplica ? $"secretsmanager.{secret.PrimaryRegion}.amazonaws.com" : ViaService(call), keyRegion: secret.IsReplica ? secret.PrimaryRegion : null, ct: ct);
        }
        catch (CofferException e) when (e.Code != ErrorCodes.AccessDenied)
        {
            throw SecretsErrors.DecryptionFailure(e.Message);
        }

        var value = SecretValue.FromBytes(kind, result.Plaintext);
        if (kind == SecretValueKind.String)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(result.Plaintext);
        }

        return value;
    }

    /// <summary>Waits until no rotation runs in the background (for shutdown and tests).</summary>
    public async Task WhenIdleAsync()
    {
        while (_running.Values.ToList() is { Count: > 0 } tasks)
        {
            await Task.WhenAll(tasks);
        }
    }

    /// <summary>Stops background rotations at the next step and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await WhenIdleAsync();
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
