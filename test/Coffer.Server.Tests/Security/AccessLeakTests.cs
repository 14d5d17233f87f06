using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Identity;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Ssm;

namespace Coffer.Server.Tests.Security;

/// <summary>
/// Issue 8, items 2 and 5: what a limited caller can learn or keep. Listings show only what the
/// caller may read; a denied caller cannot tell which secret names exist; a principal is bound to
/// its unique id, so a session of a deleted role gains nothing from a new role of the same name.
/// </summary>
public sealed class AccessLeakTests(CofferFixture fixture) : IClassFixture<CofferFixture>, IDisposable
{
    private readonly IamClient _iam = new(fixture);
    private readonly RawClient _raw = new(fixture);

    [Fact]
    public async Task Describe_parameters_lists_only_the_parameters_the_caller_may_read()
    {
        var stem = SsmTestKit.UniquePath("dp");
        var ssm = fixture.Ssm();
        await ssm.PutAsync($"{stem}/dev/a", "1");
        await ssm.PutAsync($"{stem}/prod/b", "2");
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"ssm:DescribeParameters","Resource":"*"},
              {"Effect":"Allow","Action":"ssm:GetParameter*","Resource":"arn:aws:ssm:*:*:parameter{{stem}}/dev/*"}]}
            """;
        var (id, secret) = await _iam.CreateUserAsync("describer" + Guid.NewGuid().ToString("N")[..8], policy);
        using var limited = new AmazonSimpleSystemsManagementClient(fixture.Credentials(id, secret), new AmazonSimpleSystemsManagementConfig { ServiceURL = fixture.Endpoint, AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });

        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await limited.DescribeParametersAsync(new DescribeParametersRequest
            {
                ParameterFilters = [new ParameterStringFilter { Key = "Name", Option = "BeginsWith", Values = [stem] }],
                NextToken = token,
            });
            names.AddRange(page.Parameters.Select(p => p.Name));
            token = page.NextToken;
        }
        while (token is not null);

        Assert.Equal([$"{stem}/dev/a"], names);
    }

    [Theory]
    [InlineData("secretsmanager.GetSecretValue")]
    [InlineData("secretsmanager.DescribeSecret")]
    [InlineData("secretsmanager.PutSecretValue")]
    [InlineData("secretsmanager.DeleteSecret")]
    public async Task A_denied_caller_gets_the_same_answer_whether_a_secret_exists_or_not(string target)
    {
        var name = "hidden/" + Guid.NewGuid().ToString("N")[..10];
        var (status, _, _, _) = await _raw.SendSignedAsync("secretsmanager.CreateSecret", Json(new { Name = name, SecretString = "v" }), service: "secretsmanager");
        Assert.Equal(200, status);
        var (id, secret) = await _iam.CreateUserAsync("prober" + Guid.NewGuid().ToString("N")[..8], IamClient.Allow("\"secretsmanager:*\"", "arn:aws:secretsmanager:*:*:secret:visible/*"));

        var exists = await AsCallerAsync(target, name, id, secret);
        var absent = await AsCallerAsync(target, "hidden/" + Guid.NewGuid().ToString("N")[..10], id, secret);

        Assert.Equal((400, "AccessDeniedException"), (exists.Status, exists.Type));
        Assert.Equal((exists.Status, exists.Type), (absent.Status, absent.Type));
        Assert.Equal(exists.Message.Replace(name, "NAME", StringComparison.Ordinal), absent.Message.Replace(absent.Name, "NAME", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_allowed_caller_still_learns_that_a_secret_does_not_exist()
    {
        var (id, secret) = await _iam.CreateUserAsync("reader" + Guid.NewGuid().ToString("N")[..8], IamClient.Allow("\"secretsmanager:GetSecretValue\"", "arn:aws:secretsmanager:*:*:secret:visible/*"));

        var answer = await AsCallerAsync("secretsmanager.GetSecretValue", "visible/" + Guid.NewGuid().ToString("N")[..10], id, secret);

        Assert.Equal((400, "ResourceNotFoundException"), (answer.Status, answer.Type));
    }

    [Fact]
    public async Task A_session_of_a_deleted_role_gets_nothing_from_a_new_role_of_the_same_name()
    {
        var roleName = "recreated" + Guid.NewGuid().ToString("N")[..8];
        var trust = IamClient.Trust($"{{\"AWS\":\"arn:aws:iam::{CofferFixture.AccountId}:root\"}}");
        await _iam.CreateRoleAsync(roleName, trust);
        var roleArn = $"arn:aws:iam::{CofferFixture.AccountId}:role/{roleName}";
        var session = (await IamClient.Sts(fixture, fixture.Credentials()).AssumeRoleAsync(new Amazon.SecurityToken.Model.AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "old" })).Credentials;
        await _iam.CallAsync("DeleteRole", ("RoleName", roleName));

        // A new role with the same name (and ARN) that may do everything.
        await _iam.CreateRoleAsync(roleName, trust, IamClient.Allow("\"kms:*\""));
        var kms = IamClient.Kms(fixture, session.AccessKeyId, session.SecretAccessKey, session.SessionToken);

        var denied = await Assert.ThrowsAsync<Amazon.KeyManagementService.AmazonKeyManagementServiceException>(() => kms.ListKeysAsync(new Amazon.KeyManagementService.Model.ListKeysRequest()));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);

        // A session of the new role has the new role's permissions.
        var fresh = (await IamClient.Sts(fixture, fixture.Credentials()).AssumeRoleAsync(new Amazon.SecurityToken.Model.AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "new" })).Credentials;
        await IamClient.Kms(fixture, fresh.AccessKeyId, fresh.SecretAccessKey, fresh.SessionToken).ListKeysAsync(new Amazon.KeyManagementService.Model.ListKeysRequest());
    }

    [Fact]
    public async Task A_session_of_a_deleted_user_gets_nothing_from_a_new_user_of_the_same_name()
    {
        var userName = "again" + Guid.NewGuid().ToString("N")[..8];
        var (keyId, keySecret) = await _iam.CreateUserAsync(userName);
        var session = (await IamClient.Sts(fixture, fixture.Credentials(keyId, keySecret)).GetSessionTokenAsync(new Amazon.SecurityToken.Model.GetSessionTokenRequest())).Credentials;
        await _iam.CallAsync("DeleteAccessKey", ("UserName", userName), ("AccessKeyId", keyId));
        await _iam.CallAsync("DeleteUser", ("UserName", userName));
        await _iam.CallAsync("CreateUser", ("UserName", userName));
        await _iam.CallAsync("PutUserPolicy", ("UserName", userName), ("PolicyName", "all"), ("PolicyDocument", IamClient.Allow("\"kms:*\"")));

        var kms = IamClient.Kms(fixture, session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        var refused = await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonServiceException>(() => kms.ListKeysAsync(new Amazon.KeyManagementService.Model.ListKeysRequest()));
        Assert.Contains(refused.ErrorCode, new[] { "AccessDeniedException", "UnrecognizedClientException" });
    }

    private async Task<(int Status, string? Type, string Message, string Name)> AsCallerAsync(string target, string name, string id, string secret)
    {
        var body = target.EndsWith("PutSecretValue", StringComparison.Ordinal)
            ? Json(new { SecretId = name, SecretString = "new" })
            : target.EndsWith("DeleteSecret", StringComparison.Ordinal)
                ? Json(new { SecretId = name, ForceDeleteWithoutRecovery = true })
                : Json(new { SecretId = name });
        var (status, type, message, _) = await _raw.SendSignedAsync(target, body, service: "secretsmanager", accessKeyId: id, secret: secret);
        return (status, type, message, name);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    public void Dispose() => _raw.Dispose();
}
