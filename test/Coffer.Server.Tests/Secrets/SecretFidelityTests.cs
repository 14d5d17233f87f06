using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Secrets;

/// <summary>Issue 13: retried writes, DescribeSecret's members and ListSecrets filters as AWS has them,
/// through the AWS CLI v2 (and boto3 for requests the CLI will not send).</summary>
public sealed class SecretFidelityTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private static string Unique() => "fid" + Guid.NewGuid().ToString("N")[..12];

    private Task<string> AwsAsync(params string[] arguments) => SecretsKit.AwsAsync(fixture, arguments);

    private async Task<int> VersionCountAsync(string name) =>
        JsonDocument.Parse(await AwsAsync("list-secret-version-ids", "--secret-id", name, "--include-deprecated", "--output", "json")).RootElement.GetProperty("Versions").GetArrayLength();

    [Fact]
    public async Task UpdateSecret_retried_with_the_same_token_and_value_returns_the_existing_version()
    {
        var name = Unique();
        var token = Guid.NewGuid().ToString();
        await AwsAsync("create-secret", "--name", name, "--secret-string", "first");

        var first = await AwsAsync("update-secret", "--secret-id", name, "--client-request-token", token, "--secret-string", "second", "--query", "VersionId", "--output", "text");
        var retried = await AwsAsync("update-secret", "--secret-id", name, "--client-request-token", token, "--secret-string", "second", "--query", "VersionId", "--output", "text");

        Assert.Equal(token, first);
        Assert.Equal(token, retried);
        Assert.Equal(2, await VersionCountAsync(name));
        Assert.Equal("second", await SecretsKit.SecretStringAsync(fixture, name));
        await SecretsKit.AwsFailsAsync(fixture, "ResourceExistsException", "update-secret", "--secret-id", name, "--client-request-token", token, "--secret-string", "other");
    }

    [Fact]
    public async Task PutSecretValue_retried_with_the_same_token_and_value_returns_the_existing_version()
    {
        var name = Unique();
        var token = Guid.NewGuid().ToString();
        await AwsAsync("create-secret", "--name", name, "--secret-string", "first");

        var first = await AwsAsync("put-secret-value", "--secret-id", name, "--client-request-token", token, "--secret-string", "second", "--query", "VersionId", "--output", "text");
        var retried = await AwsAsync("put-secret-value", "--secret-id", name, "--client-request-token", token, "--secret-string", "second", "--query", "VersionId", "--output", "text");

        Assert.Equal(token, first);
        Assert.Equal(token, retried);
        Assert.Equal(2, await VersionCountAsync(name));
        await SecretsKit.AwsFailsAsync(fixture, "ResourceExistsException", "put-secret-value", "--secret-id", name, "--client-request-token", token, "--secret-string", "other");
    }

    [Fact]
    public async Task DescribeSecret_leaves_out_the_members_AWS_leaves_out()
    {
        var name = Unique();
        await AwsAsync("create-secret", "--name", name, "--tags", "Key=team,Value=a");
        await AwsAsync("untag-resource", "--secret-id", name, "--tag-keys", "team");

        var described = JsonDocument.Parse(await AwsAsync("describe-secret", "--secret-id", name, "--output", "json")).RootElement;

        Assert.False(described.TryGetProperty("PrimaryRegion", out _), "PrimaryRegion is given only for a replicated secret");
        Assert.False(described.TryGetProperty("VersionIdsToStages", out _), "a secret without versions has no version map");
        Assert.False(described.TryGetProperty("Tags", out _), "a secret whose tags are all removed has no Tags");
        Assert.Equal(name, described.GetProperty("Name").GetString());
    }
}
