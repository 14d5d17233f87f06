using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Core.Access;
using Coffer.Core.Audit;
using Coffer.Core.Events;
using Coffer.Core.Kms;
using Coffer.Core.Secrets;
using Coffer.Core.Storage;

namespace Coffer.Core.Parameters;

/// <summary>
/// SSM Parameter Store: String, StringList and SecureString parameters in a hierarchy of paths,
/// every change a new version, labels on versions, tags, and policies carried out on a schedule.
/// SecureString values are encrypted through KMS (<see cref="KeyService"/>) with AWS's encryption
/// context <c>{"PARAMETER_ARN": arn}</c>; their plaintext is never stored, logged or audited.
/// Every method authorizes the call with the IAM action and the parameter's ARN before acting.
/// </summary>
/// <param name="secrets">Secrets Manager, for names under <c>/aws/reference/secretsmanager/</c>; without it they are not found.</param>
public sealed partial class ParameterService(ICofferStore store, KeyService keys, IAuthorizer authorizer, AuditLog audit, TimeProvider time, ReadCache reads, SecretService? secrets = null)
{
    /// <summary>GetParameter's read (the parameter and the version its name selects) by account, Region and name as asked (issue 11).</summary>
    private readonly ReadCache.Region<(string Account, string Region, string Name), (Parameter?, ParameterVersion?)> _gets =
        reads.For<(string Account, string Region, string Name), (Parameter?, ParameterVersion?)>(StoreChange.Parameters, static (k, v) => ReadCacheWeights.Of(k.Name) + ReadCacheWeights.Of(v.Item1, v.Item2));

    public const string DefaultKeyId = "alias/aws/ssm";
    private const string ResourceType = "AWS::SSM::Parameter";
    private const string EncryptionContextKey = "PARAMETER_ARN";

    /// <summary>Notes the resource on the call and authorizes the action on it; completes at once when the caller's policies are cached.</summary>
    private ValueTask AuthorizeAsync(Call call, string action, string arn, CancellationToken ct)
    {
        call.AddResource(arn, ResourceType);
        return authorizer.AuthorizeAsync(call, new AccessRequest(action, arn), cancellationToken: ct);
    }

    private static string Arn(Call call, string name) => ParameterNames.Arn(call.Region, call.AccountId, name);

    /// <summary>The parameter a reader's reference names, trying each name the reference may mean.</summary>
    private static async ValueTask<Parameter?> FindAsync(IStoreSession s, Call call, ParameterReference reference, CancellationToken ct)
    {
        foreach (var name in reference.Candidates)
        {
            if (await s.Parameters.FindAsync(call.AccountId, call.Region, name, ct) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The parameter a name means, under either spelling of a single-level name.</summary>
    private static async ValueTask<Parameter?> FindByNameAsync(IStoreSession s, Call call, string name, CancellationToken ct)
    {
        foreach (var spelling in ParameterNames.Spellings(name))
        {
            if (await s.Parameters.FindAsync(call.AccountId, call.Region, spelling, ct) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The version a reference selects: by number, by label, or the current one; null when there is none.</summary>
    private static async ValueTask<ParameterVersion?> SelectAsync(IStoreSession s, Parameter parameter, ParameterReference reference, CancellationToken ct)
    {
        var version = reference.Label is { } label ? await s.Parameters.FindLabelAsync(parameter.AccountId, parameter.Region, parameter.Name, label, ct) : reference.Version;
        return reference.Label is not null && version is null ? null : await VersionOfAsync(s, parameter, version ?? parameter.Current.Version, ct);
    }

    private static ValueTask<ParameterVersion?> VersionOfAsync(IStoreSession s, Parameter parameter, long version, CancellationToken ct) =>
        version == parameter.Current.Version
            ? new ValueTask<ParameterVersion?>(parameter.Current)
            : s.Parameters.FindVersionAsync(parameter.AccountId, parameter.Region, parameter.Name, version, ct);

    /// <summary>A version's value for the caller: the decrypted plaintext, or what is stored (a SecureString's ciphertext in base64).</summary>
    private async Task<string> ValueOfAsync(Call call, string arn, ParameterVersion version, bool decrypt, CancellationToken ct)
    {
        if (!version.IsSecure)
        {
            return version.Value ?? "";
        }

        if (!decrypt)
        {
            return Convert.ToBase64String(version.Ciphertext!);
        }

        byte[] plaintext;
        try
        {
            plaintext = (await keys.DecryptAsync(call, version.Ciphertext!, Context(arn), viaService: ViaService(call), ct: ct)).Plaintext;
        }
        catch (CofferException e) when (e.Code is KmsErrors.Codes.NotFound or KmsErrors.Codes.Disabled or KmsErrors.Codes.InvalidState or KmsErrors.Codes.InvalidCiphertext)
        {
            throw SsmErrors.InvalidKeyId($"The KMS key of {version.Name} cannot decrypt it: {e.Message}");
        }

        try
        {
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private async Task<byte[]> EncryptAsync(Call call, string arn, string keyId, string value, CancellationToken ct)
    {
        var plaintext = Encoding.UTF8.GetBytes(value);
        try
        {
            return (await keys.EncryptAsync(call, keyId, plaintext, Context(arn), viaService: ViaService(call), ct: ct)).CiphertextBlob;
        }
        catch (CofferException e) when (e.Code is KmsErrors.Codes.NotFound or KmsErrors.Codes.Disabled or KmsErrors.Codes.InvalidState or KmsErrors.Codes.InvalidArn)
        {
            throw SsmErrors.InvalidKeyId($"The KMS key {keyId} cannot encrypt: {e.Message}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static Dictionary<string, string> Context(string arn) => new() { [EncryptionContextKey] = arn };

    private static readonly RegionalName Endpoint = new("ssm");

    private static string ViaService(Call call) => Endpoint.In(call.Region);

    /// <summary>AWS's "Parameter Store Change" event, beside the generic API-call event every change gets.</summary>
    private static CofferEvent ChangeEvent(Call call, string operation, string arn, ParameterVersion version, IReadOnlyList<string>? labels = null)
    {
        var detail = new JsonObject
        {
            ["operation"] = operation,
            ["name"] = version.Name,
            ["type"] = version.Type,
            ["description"] = version.Description ?? "",

            // Beyond AWS's shape: who made the change, so a webhook need not look it up in the trail.
            ["userIdentity"] = new JsonObject { ["arn"] = call.Principal.Arn, ["accountId"] = call.AccountId },
        };
        if (labels is not null)
        {
            detail["labels"] = new JsonArray([.. labels.Select(l => JsonValue.Create(l))]);
        }

        return ChangeEvents.ServiceEvent("aws.ssm", "Parameter Store Change", call.AccountId, call.Region, call.Origin.Time, [arn], detail);
    }
}
