using System.Text.Json;
using Coffer.Core.Secrets;

namespace Coffer.Core.Parameters;

public sealed partial class ParameterService
{
    /// <summary>The reserved path through which GetParameter and GetParameters read Secrets Manager secrets.</summary>
    public const string SecretsManagerReferencePrefix = "/aws/reference/secretsmanager/";

    public static bool IsSecretReference(string name) => name.StartsWith(SecretsManagerReferencePrefix, StringComparison.Ordinal);

    /// <summary>
    /// A Secrets Manager secret read through Parameter Store, as AWS passes it through: the secret's
    /// value as a SecureString, its ARN, and GetSecretValue's answer in SourceResult. Nothing is kept;
    /// Secrets Manager authorizes the read with its own policies, after Parameter Store's check.
    /// An optional <c>:selector</c> is a version id or a staging label.
    /// </summary>
    /// <param name="action">Parameter Store's action: <c>ssm:GetParameter</c>, or <c>ssm:GetParameters</c> for a name among several.</param>
    private async Task<ParameterValue> GetSecretReferenceAsync(Call call, string action, string name, bool withDecryption, CancellationToken ct)
    {
        var secretService = secrets ?? throw SsmErrors.ParameterNotFound(name);
        var reference = name[SecretsManagerReferencePrefix.Length..];
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        var secretId = colon < 0 ? reference : reference[..colon];
        var selector = colon < 0 ? null : reference[(colon + 1)..];
        var parameterName = SecretsManagerReferencePrefix + secretId;
        await AuthorizeAsync(call, action, Arn(call, parameterName), ct);
        if (!withDecryption)
        {
            throw SsmErrors.Validation("WithDecryption flag must be True for retrieving a Secret Manager secret.");
        }

        if (secretId.Length == 0 || selector is { Length: 0 })
        {
            throw SsmErrors.Validation($"Invalid secret reference: {name}");
        }

        // Client request tokens, and so version ids, are at least 32 characters; staging labels rarely are.
        var byVersionId = selector is { Length: >= 32 };
        SecretValueResult result;
        try
        {
            result = await secretService.GetSecretValueAsync(call, secretId, byVersionId ? selector : null, byVersionId ? null : selector, ct);
        }
        catch (CofferException e) when (e.Code == SecretsErrors.Codes.ResourceNotFound)
        {
            throw SsmErrors.ParameterNotFound(parameterName);
        }

        var value = result.Value.Kind == SecretValueKind.String ? result.Value.Text! : Convert.ToBase64String(result.Value.Binary!);
        var version = new ParameterVersion
        {
            Name = parameterName,
            Version = 0,
            Type = ParameterTypes.SecureString,
            Tier = ParameterTiers.Standard,
            LastModifiedDate = result.CreatedDate,
            LastModifiedUser = "",
        };
        return new ParameterValue(version, result.Arn, value, selector is null ? null : ":" + selector) { SourceResult = SourceResult(result) };
    }

    /// <summary>GetSecretValue's answer as JSON, which AWS returns in the parameter's SourceResult.</summary>
    private static string SourceResult(SecretValueResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ARN", result.Arn);
            json.WriteNumber("CreatedDate", result.CreatedDate.ToUnixTimeMilliseconds() / 1000m);
            json.WriteString("Name", result.Name);
            if (result.Value.Kind == SecretValueKind.String)
            {
                json.WriteString("SecretString", result.Value.Text);
            }
            else
            {
                json.WriteBase64String("SecretBinary", result.Value.Binary);
            }

            json.WriteString("VersionId", result.VersionId);
            json.WriteStartArray("VersionStages");
            foreach (var stage in result.Stages)
            {
                json.WriteStringValue(stage);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
