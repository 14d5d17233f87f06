using System.Text.Json;
using Amazon.Runtime;
using Coffer.Client;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Client;

/// <summary>What the Coffer.Client tests share: client options for the fixture's server, and the
/// Secrets Manager calls an operator makes (through the client's own signed JSON 1.1 wire).</summary>
internal static class ClientKit
{
    public static CofferClientOptions Options(CofferFixture fixture) => new()
    {
        Endpoint = new Uri(fixture.Endpoint),
        Region = CofferFixture.Region,
        Credentials = new BasicAWSCredentials(CofferFixture.AccessKeyId, CofferFixture.SecretAccessKey),
    };

    public static string UniqueName(string stem) => $"{stem}-{Guid.NewGuid():N}"[..(stem.Length + 13)];

    public static Task<JsonElement> CreateSecretAsync(CofferFixture fixture, string name, string value) =>
        CallAsync(fixture, "CreateSecret", new Dictionary<string, string?> { ["Name"] = name, ["SecretString"] = value });

    public static Task<JsonElement> PutSecretValueAsync(CofferFixture fixture, string name, string value) =>
        CallAsync(fixture, "PutSecretValue", new Dictionary<string, string?> { ["SecretId"] = name, ["SecretString"] = value });

    public static Task<JsonElement> DeleteSecretAsync(CofferFixture fixture, string name) =>
        CallAsync(fixture, "DeleteSecret", new Dictionary<string, string?> { ["SecretId"] = name, ["ForceDeleteWithoutRecovery"] = "true" }, raw: "\"ForceDeleteWithoutRecovery\":\"true\"");

    private static async Task<JsonElement> CallAsync(CofferFixture fixture, string operation, Dictionary<string, string?> body, string? raw = null)
    {
        var json = JsonSerializer.Serialize(body);
        if (raw is not null)
        {
            json = json.Replace(raw, raw.Replace("\"true\"", "true", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        using var wire = new AwsWire(Options(fixture));
        using var answer = await wire.PostJsonAsync("secretsmanager", "secretsmanager." + operation, System.Text.Encoding.UTF8.GetBytes(json), CancellationToken.None);
        return answer.RootElement.Clone();
    }

    /// <summary>A KMS key with an alias, made through the AWS SDK for .NET.</summary>
    public static async Task<string> CreateKeyWithAliasAsync(CofferFixture fixture, string alias)
    {
        using var kms = fixture.Kms();
        var key = await kms.CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest());
        await kms.CreateAliasAsync(new Amazon.KeyManagementService.Model.CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyMetadata.KeyId });
        return key.KeyMetadata.KeyId;
    }

    /// <summary>Reads until <paramref name="done"/> holds, for at most 20 seconds (a bound, not a timing assertion).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > until)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
