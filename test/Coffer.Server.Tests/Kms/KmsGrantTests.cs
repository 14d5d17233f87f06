using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Identity;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Kms;

/// <summary>KMS grants through the AWS SDK for .NET (issue 13): a grant lets a principal that no policy
/// allows use a key, within its constraints, until it is retired or revoked; an explicit deny still wins.</summary>
public sealed class KmsGrantTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private static readonly string Account = CofferFixture.AccountId;
    private readonly AmazonKeyManagementServiceClient _kms = fixture.Kms();
    private readonly IamClient _iam = new(fixture);

    [Fact]
    public async Task A_grant_lets_a_user_without_permissions_decrypt_until_the_grant_is_retired()
    {
        var (user, kms) = await UserAsync();
        var key = await KeyAsync();
        var blob = await EncryptAsync(key, null);
        await AssertDeniedAsync(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));

        var grant = await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key, GranteePrincipal = user, RetiringPrincipal = user, Operations = [GrantOperation.Decrypt] });
        var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) });
        Assert.Equal("Top Secret", Encoding.UTF8.GetString(decrypted.Plaintext.ToArray()));
        await AssertDeniedAsync(() => kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = new MemoryStream([1]) }));

        var listed = Assert.Single((await _kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key })).Grants);
        Assert.Equal(grant.GrantId, listed.GrantId);
        Assert.Equal(user, listed.GranteePrincipal);
        Assert.Equal([GrantOperation.Decrypt], listed.Operations);
        Assert.Equal(grant.GrantId, Assert.Single((await _kms.ListRetirableGrantsAsync(new ListRetirableGrantsRequest { RetiringPrincipal = user })).Grants).GrantId);

        await kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = grant.GrantToken });
        await AssertDeniedAsync(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));
        Assert.Empty((await _kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key })).Grants);
    }

    [Fact]
    public async Task Decrypt_tells_a_caller_who_may_not_use_the_key_nothing_of_its_state()
    {
        var (_, kms) = await UserAsync();
        var key = await KeyAsync();
        var blob = await EncryptAsync(key, null);
        await _kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key });

        // Denied as for an enabled key, where the key's owner is told the key is disabled.
        await AssertDeniedAsync(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));
        await Assert.ThrowsAsync<DisabledException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));
    }

    [Fact]
    public async Task Encryption_context_constraints_limit_what_the_grant_allows()
    {
        var (user, kms) = await UserAsync();
        var key = await KeyAsync();
        var billing = new Dictionary<string, string> { ["app"] = "billing", ["stage"] = "prod" };
        var other = new Dictionary<string, string> { ["app"] = "other", ["stage"] = "prod" };
        var billingBlob = await EncryptAsync(key, billing);
        var otherBlob = await EncryptAsync(key, other);

        await _kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key, GranteePrincipal = user, Operations = [GrantOperation.Decrypt],
            Constraints = new GrantConstraints { EncryptionContextSubset = new Dictionary<string, string> { ["app"] = "billing" } },
        });

        await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(billingBlob), EncryptionContext = billing });
        await AssertDeniedAsync(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(otherBlob), EncryptionContext = other }));

        var exact = await _kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key, GranteePrincipal = user, Operations = [GrantOperation.GenerateDataKey],
            Constraints = new GrantConstraints { EncryptionContextEquals = new Dictionary<string, string> { ["app"] = "billing" } },
        });
        await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key, KeySpec = DataKeySpec.AES_256, EncryptionContext = new Dictionary<string, string> { ["app"] = "billing" } });
        await AssertDeniedAsync(() => kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key, KeySpec = DataKeySpec.AES_256, EncryptionContext = billing }));
        Assert.NotNull(exact.GrantId);
    }

    [Fact]
    public async Task An_explicit_deny_in_an_IAM_policy_beats_a_grant()
    {
        var (user, kms) = await UserAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}]}""");
        var key = await KeyAsync();
        var blob = await EncryptAsync(key, null);
        await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key, GranteePrincipal = user, Operations = [GrantOperation.Decrypt] });

        var denied = await AssertDeniedAsync(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));
        Assert.Contains("explicit deny", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateGrant_with_the_same_name_and_parameters_returns_the_same_grant()
    {
        var key = await KeyAsync();
        var request = new CreateGrantRequest { KeyId = key, GranteePrincipal = $"arn:aws:iam::{Account}:role/worker", Operations = [GrantOperation.Encrypt, GrantOperation.Decrypt], Name = "worker" };

        var first = await _kms.CreateGrantAsync(request);
        var second = await _kms.CreateGrantAsync(request);

        Assert.Equal(first.GrantId, second.GrantId);
        Assert.NotEqual(first.GrantToken, second.GrantToken);
        Assert.Equal("worker", Assert.Single((await _kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key })).Grants).Name);
    }

    [Fact]
    public async Task Grants_are_revoked_by_key_policy_permission_and_retired_only_by_whom_the_grant_names()
    {
        var (user, kms) = await UserAsync();
        var (_, stranger) = await UserAsync();
        var key = await KeyAsync();
        var grant = await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key, GranteePrincipal = user, Operations = [GrantOperation.DescribeKey] });

        await AssertDeniedAsync(() => stranger.RetireGrantAsync(new RetireGrantRequest { KeyId = key, GrantId = grant.GrantId }));
        await AssertDeniedAsync(() => kms.RetireGrantAsync(new RetireGrantRequest { KeyId = key, GrantId = grant.GrantId }));
        await AssertDeniedAsync(() => kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key, GrantId = grant.GrantId }));
        Assert.Equal(key, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata.KeyId);

        await _kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key, GrantId = grant.GrantId });
        await AssertDeniedAsync(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key }));
        await Assert.ThrowsAsync<NotFoundException>(() => _kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key, GrantId = grant.GrantId }));
        await Assert.ThrowsAsync<InvalidGrantTokenException>(() => _kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = "not-a-token" }));
    }

    [Fact]
    public async Task A_grant_with_CreateGrant_lets_the_grantee_delegate_only_what_it_has()
    {
        var (user, kms) = await UserAsync();
        var key = await KeyAsync();
        await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key, GranteePrincipal = user, Operations = [GrantOperation.CreateGrant, GrantOperation.Decrypt] });
        var worker = $"arn:aws:iam::{Account}:role/worker";

        await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key, GranteePrincipal = worker, Operations = [GrantOperation.Decrypt] });
        await AssertDeniedAsync(() => kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key, GranteePrincipal = worker, Operations = [GrantOperation.Encrypt] }));
        Assert.Equal(2, (await _kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key })).Grants.Count);
    }

    [Fact]
    public async Task Operations_the_key_cannot_do_are_refused_in_a_grant()
    {
        var key = await KeyAsync();

        var error = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => _kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key, GranteePrincipal = $"arn:aws:iam::{Account}:role/worker", Operations = [GrantOperation.Sign],
        }));
        Assert.Equal("ValidationException", error.ErrorCode);
        await Assert.ThrowsAsync<InvalidArnException>(() => _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key, GranteePrincipal = "nobody", Operations = [GrantOperation.Decrypt] }));
    }

    private async Task<(string Arn, AmazonKeyManagementServiceClient Client)> UserAsync(string? policy = null)
    {
        var name = "grantee-" + Guid.NewGuid().ToString("N")[..8];
        var (id, secret) = await _iam.CreateUserAsync(name, policy);
        return ($"arn:aws:iam::{Account}:user/{name}", IamClient.Kms(fixture, id, secret));
    }

    private async Task<string> KeyAsync() => (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;

    private async Task<byte[]> EncryptAsync(string key, Dictionary<string, string>? context) =>
        (await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("Top Secret")), EncryptionContext = context })).CiphertextBlob.ToArray();

    private static async Task<AmazonKeyManagementServiceException> AssertDeniedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(call);
        Assert.Equal("AccessDeniedException", error.ErrorCode);
        return error;
    }
}
