using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Identity;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Kms;

/// <summary>The key policy lockout safety check and BypassPolicyLockoutSafetyCheck (issue 13), through the AWS SDK for .NET.</summary>
public sealed class KmsPolicyLockoutTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private const string LockoutMessage = "The new key policy will not allow you to update the key policy in the future.";
    private static readonly string Account = CofferFixture.AccountId;
    private readonly AmazonKeyManagementServiceClient _kms = fixture.Kms();
    private readonly IamClient _iam = new(fixture);

    private static string ReadOnlyPolicy => $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":["kms:Describe*","kms:Get*"],"Resource":"*"}]}
        """;

    [Fact]
    public async Task PutKeyPolicy_that_would_lock_the_caller_out_is_refused_and_the_old_policy_stays()
    {
        var key = (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        var before = (await _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key })).Policy;

        var error = await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = ReadOnlyPolicy }));

        Assert.Equal(LockoutMessage, error.Message);
        Assert.Equal(before, (await _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key })).Policy);
    }

    [Fact]
    public async Task With_the_bypass_the_policy_is_set_and_the_caller_is_then_locked_out_as_warned()
    {
        var key = (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;

        await _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = ReadOnlyPolicy, BypassPolicyLockoutSafetyCheck = true });

        Assert.Equal(ReadOnlyPolicy, (await _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key })).Policy);
        var denied = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = ReadOnlyPolicy, BypassPolicyLockoutSafetyCheck = true }));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
    }

    [Fact]
    public async Task CreateKey_with_a_lockout_policy_creates_nothing_unless_the_check_is_bypassed()
    {
        var before = (await _kms.ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys.Count;

        var error = await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => _kms.CreateKeyAsync(new CreateKeyRequest { Policy = ReadOnlyPolicy }));

        Assert.Equal(LockoutMessage, error.Message);
        Assert.Equal(before, (await _kms.ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys.Count);
        var created = await _kms.CreateKeyAsync(new CreateKeyRequest { Policy = ReadOnlyPolicy, BypassPolicyLockoutSafetyCheck = true });
        Assert.Equal(ReadOnlyPolicy, (await _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = created.KeyMetadata.KeyId })).Policy);
    }

    [Fact]
    public async Task The_check_is_made_for_the_calling_user_with_its_IAM_policies()
    {
        var name = "key-admin-" + Guid.NewGuid().ToString("N")[..8];
        var (id, secret) = await _iam.CreateUserAsync(name, IamClient.Allow("\"kms:*\""));
        using var admin = IamClient.Kms(fixture, id, secret);
        var key = (await admin.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        var onlyTheAdmin = $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/{{name}}"},"Action":"kms:PutKeyPolicy","Resource":"*"}]}
            """;
        var someoneElse = onlyTheAdmin.Replace("user/" + name, "user/someone-else", StringComparison.Ordinal);

        await admin.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = onlyTheAdmin });

        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => admin.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = someoneElse }));

        // The refused policy was not applied: the administrator may still change the policy (root may not: the key policy leaves it out).
        await admin.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = onlyTheAdmin });
        var root = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = onlyTheAdmin }));
        Assert.Equal("AccessDeniedException", root.ErrorCode);
    }
}
