using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Identity;

/// <summary>STS through the AWS SDK for .NET (AWSSDK.SecurityToken), signed as different principals.</summary>
public sealed class StsTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly IamClient _iam = new(fixture);

    [Fact]
    public async Task Get_caller_identity_names_the_root_a_user_and_a_session()
    {
        var root = await IamClient.Sts(fixture, fixture.Credentials()).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal($"arn:aws:iam::{CofferFixture.AccountId}:root", root.Arn);
        Assert.Equal(CofferFixture.AccountId, root.Account);

        var name = Unique("caller");
        var (id, secret) = await _iam.CreateUserAsync(name);
        var user = await IamClient.Sts(fixture, fixture.Credentials(id, secret)).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal($"arn:aws:iam::{CofferFixture.AccountId}:user/{name}", user.Arn);
        Assert.StartsWith("AIDA", user.UserId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assume_role_gives_a_session_with_the_roles_permissions_only()
    {
        var userName = Unique("assumer");
        var (id, secret) = await _iam.CreateUserAsync(userName, IamClient.Allow("\"sts:AssumeRole\""));
        var roleName = Unique("describer");
        var roleArn = await _iam.CreateRoleAsync(roleName, IamClient.Trust($"{{\"AWS\":\"arn:aws:iam::{CofferFixture.AccountId}:root\"}}"), IamClient.Allow("\"kms:DescribeKey\""));
        var key = (await fixture.Kms().CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest())).KeyMetadata.KeyId;

        var assumed = await IamClient.Sts(fixture, fixture.Credentials(id, secret)).AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "sdk", DurationSeconds = 900 });

        Assert.StartsWith("ASIA", assumed.Credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal($"arn:aws:sts::{CofferFixture.AccountId}:assumed-role/{roleName}/sdk", assumed.AssumedRoleUser.Arn);
        Assert.InRange(assumed.Credentials.Expiration!.Value, DateTime.UtcNow.AddSeconds(800), DateTime.UtcNow.AddSeconds(1000));
        var kms = IamClient.Kms(fixture, assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
        Assert.Equal(key, (await kms.DescribeKeyAsync(new Amazon.KeyManagementService.Model.DescribeKeyRequest { KeyId = key })).KeyMetadata.KeyId);
        var denied = await Assert.ThrowsAsync<Amazon.KeyManagementService.AmazonKeyManagementServiceException>(() => kms.DisableKeyAsync(new Amazon.KeyManagementService.Model.DisableKeyRequest { KeyId = key }));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
        Assert.Equal($"User: arn:aws:sts::{CofferFixture.AccountId}:assumed-role/{roleName}/sdk is not authorized to perform: kms:DisableKey on resource: arn:aws:kms:{CofferFixture.Region}:{CofferFixture.AccountId}:key/{key} because no identity-based policy allows the kms:DisableKey action", denied.Message);
    }

    [Fact]
    public async Task Assume_role_is_refused_without_the_trust_policy_or_the_permission()
    {
        var (id, secret) = await _iam.CreateUserAsync(Unique("outsider"));
        var roleArn = await _iam.CreateRoleAsync(Unique("trusting"), IamClient.Trust($"{{\"AWS\":\"arn:aws:iam::{CofferFixture.AccountId}:root\"}}"));
        var sts = IamClient.Sts(fixture, fixture.Credentials(id, secret));

        var noPermission = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "x1" }));
        Assert.Equal("AccessDenied", noPermission.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, noPermission.StatusCode);
        Assert.EndsWith("because no identity-based policy allows the sts:AssumeRole action", noPermission.Message, StringComparison.Ordinal);

        var lambdaOnly = await _iam.CreateRoleAsync(Unique("fn"), IamClient.Trust("{\"Service\":\"lambda.amazonaws.com\"}"));
        var notTrusted = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => IamClient.Sts(fixture, fixture.Credentials()).AssumeRoleAsync(new AssumeRoleRequest { RoleArn = lambdaOnly, RoleSessionName = "x2" }));
        Assert.EndsWith("because no resource-based policy allows the sts:AssumeRole action", notTrusted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_session_token_credentials_act_as_the_user()
    {
        var name = Unique("tokened");
        var (id, secret) = await _iam.CreateUserAsync(name);

        var token = await IamClient.Sts(fixture, fixture.Credentials(id, secret)).GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 900 });

        var c = token.Credentials;
        var who = await IamClient.Sts(fixture, fixture.Credentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken)).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal($"arn:aws:iam::{CofferFixture.AccountId}:user/{name}", who.Arn);
        var again = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => IamClient.Sts(fixture, fixture.Credentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken)).GetSessionTokenAsync(new GetSessionTokenRequest()));
        Assert.Equal("AccessDenied", again.ErrorCode);
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
