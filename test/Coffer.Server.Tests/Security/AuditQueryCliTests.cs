using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Identity;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Secrets;
using Coffer.Server.Tests.Ssm;

namespace Coffer.Server.Tests.Security;

/// <summary>Issue 9: <c>coffer audit query</c> and <c>tail</c> answer "who read this secret" and "every denial for this key".</summary>
public sealed class AuditQueryCliTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    [Fact]
    public async Task Audit_query_shows_who_read_a_parameter_and_a_keys_denials()
    {
        var name = SsmTestKit.UniquePath("aq") + "/db/password";
        var ssm = fixture.Ssm();
        await ssm.PutAsync(name, "audit-query-secret", ParameterType.SecureString);
        var (id, secret) = await new IamClient(fixture).CreateUserAsync("auditee" + Guid.NewGuid().ToString("N")[..8], IamClient.Allow("\"ssm:GetParameter\"", $"arn:aws:ssm:*:*:parameter{name}"));
        using var reader = new AmazonSimpleSystemsManagementClient(fixture.Credentials(id, secret), new AmazonSimpleSystemsManagementConfig { ServiceURL = fixture.Endpoint, AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });
        await reader.GetAsync(name);
        await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => reader.GetAsync(name + "-other"));

        var reads = await SecretsKit.CofferAsync(fixture, "audit", "query", "--resource", name, "--read-only", "true", "--since", "1h");
        var denials = await SecretsKit.CofferAsync(fixture, "audit", "query", "--access-key", id, "--denied", "--output", "json");
        var tail = await SecretsKit.CofferAsync(fixture, "audit", "tail", "-n", "5");

        Assert.Contains("GetParameter", reads, StringComparison.Ordinal);
        Assert.Contains("/auditee", reads, StringComparison.Ordinal);
        Assert.DoesNotContain("audit-query-secret", reads, StringComparison.Ordinal);
        var denial = Assert.Single(denials.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"errorCode\":\"AccessDeniedException\"", denial, StringComparison.Ordinal);
        Assert.Contains("TIME (UTC)", tail, StringComparison.Ordinal);
    }
}
