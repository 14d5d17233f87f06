using System.Text.Json;

namespace Coffer.Client;

/// <summary>A secret's value as GetSecretValue answers it.</summary>
internal sealed record SecretValue(string Arn, string Name, string VersionId, string? SecretString, byte[]? SecretBinary);

/// <summary>
/// The two Secrets Manager calls the cache needs, GetSecretValue and DescribeSecret, as plain
/// JSON 1.1 requests signed by AWSSDK.Core (the AWSSDK.SecretsManager package is not a dependency).
/// </summary>
internal sealed class SecretsManagerCalls(AwsWire wire)
{
    private const string Service = "secretsmanager";

    public async Task<SecretValue> GetSecretValueAsync(string secretId, string? versionId, string? versionStage, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?>
        {
            ["SecretId"] = secretId,
            [versionId is null ? "VersionStage" : "VersionId"] = versionId ?? versionStage,
        }, ClientJson.Default.DictionaryStringString);
        using var document = await wire.PostJsonAsync(Service, "secretsmanager.GetSecretValue", body, ct);
        var root = document.RootElement;
        return new SecretValue(
            Text(root, "ARN") ?? "",
            Text(root, "Name") ?? secretId,
            Text(root, "VersionId") ?? throw new CofferClientException(CofferErrorCodes.InvalidResponse, 200, "GetSecretValue answered without a VersionId."),
            Text(root, "SecretString"),
            root.TryGetProperty("SecretBinary", out var binary) && binary.ValueKind == JsonValueKind.String ? binary.GetBytesFromBase64() : null);
    }

    /// <summary>DescribeSecret: the secret's ARN and the version that carries <paramref name="versionStage"/> (null when none does).</summary>
    public async Task<(string Arn, string? VersionId)> DescribeSecretAsync(string secretId, string versionStage, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?> { ["SecretId"] = secretId }, ClientJson.Default.DictionaryStringString);
        using var document = await wire.PostJsonAsync(Service, "secretsmanager.DescribeSecret", body, ct);
        var root = document.RootElement;
        string? version = null;
        if (root.TryGetProperty("VersionIdsToStages", out var versions) && versions.ValueKind == JsonValueKind.Object)
        {
            foreach (var v in versions.EnumerateObject())
            {
                if (v.Value.ValueKind == JsonValueKind.Array && v.Value.EnumerateArray().Any(s => s.GetString() == versionStage))
                {
                    version = v.Name;
                }
            }
        }

        return (Text(root, "ARN") ?? "", version);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class ClientJson : System.Text.Json.Serialization.JsonSerializerContext;
