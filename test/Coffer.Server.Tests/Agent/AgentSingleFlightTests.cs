using System.Text.Json;

namespace Coffer.Server.Tests.Agent;

/// <summary>Issue 12: a thousand concurrent misses for one secret make one call to Coffer, counted
/// where it cannot be wrong: in Coffer's audit trail.</summary>
public sealed class AgentSingleFlightTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task A_thousand_concurrent_misses_for_one_secret_make_one_call_to_Coffer()
    {
        var created = await fixture.SecretsAsync("CreateSecret", new { Name = "agent/flight/one", SecretString = "shared" });
        var arn = created.GetProperty("ARN").GetString()!;
        await using var agent = await fixture.StartAgentAsync();
        using var http = AgentFixture.Client(agent);
        http.Timeout = TimeSpan.FromMinutes(2);

        var reads = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => AgentReadTests.SecretAsync(http, "/secretsmanager/get?secretId=agent/flight/one")));

        Assert.All(reads, r => Assert.Equal("shared", r));
        Assert.Equal(1, await GetSecretValueCallsAsync(arn));
    }

    /// <summary>The GetSecretValue records on this secret, read with CloudTrail's LookupEvents.</summary>
    private async Task<int> GetSecretValueCallsAsync(string arn)
    {
        var count = 0;
        string? next = null;
        do
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["LookupAttributes"] = new[] { new { AttributeKey = "EventName", AttributeValue = "GetSecretValue" } },
                ["MaxResults"] = 50,
                ["NextToken"] = next,
            });
            var (status, text) = await fixture.DirectAsync("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", "cloudtrail", body);
            Assert.Equal(200, status);
            using var doc = JsonDocument.Parse(text);
            count += doc.RootElement.GetProperty("Events").EnumerateArray()
                .Count(e => e.GetProperty("Resources").EnumerateArray().Any(r => r.GetProperty("ResourceName").GetString() == arn));
            next = doc.RootElement.TryGetProperty("NextToken", out var n) ? n.GetString() : null;
        }
        while (next is not null);
        return count;
    }
}
