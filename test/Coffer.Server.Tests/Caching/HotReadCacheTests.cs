using System.Text;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Secrets;
using Coffer.Server.Tests.Ssm;

namespace Coffer.Server.Tests.Caching;

/// <summary>
/// The hot reads keep their records in memory between calls (issue 11), and none of it may weaken a
/// guarantee: a disabled key, a changed key policy, a new parameter version, a moved label and a
/// new secret version each take effect on the very next request. Each test reads first (so the
/// record is cached), changes, and reads again at once. The same tests run on PostgreSQL, where the
/// cache is off.
/// </summary>
public sealed class HotReadCacheTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = fixture.Ssm();

    [Fact]
    public async Task A_disabled_key_refuses_the_very_next_decrypt_and_an_enabled_one_decrypts_again()
    {
        using var kms = fixture.Kms();
        var (keyId, blob) = await EncryptedAsync(kms);
        Assert.Equal("Top Secret", await DecryptAsync(kms, blob));

        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = keyId });
        await Assert.ThrowsAsync<DisabledException>(() => DecryptAsync(kms, blob));

        await kms.EnableKeyAsync(new EnableKeyRequest { KeyId = keyId });
        Assert.Equal("Top Secret", await DecryptAsync(kms, blob));
    }

    [Fact]
    public async Task A_key_policy_that_stops_allowing_decrypt_denies_the_very_next_request()
    {
        using var kms = fixture.Kms();
        var (keyId, blob) = await EncryptedAsync(kms);
        Assert.Equal("Top Secret", await DecryptAsync(kms, blob));

        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{CofferFixture.AccountId}}:root"},"Action":"kms:*","Resource":"*"},
              {"Sid":"NoDecrypt","Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}
            """;
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = keyId, PolicyName = "default", Policy = policy });

        var denied = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => DecryptAsync(kms, blob));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
    }

    [Fact]
    public async Task A_new_parameter_version_is_read_by_the_very_next_get()
    {
        var name = SsmTestKit.UniquePath() + "/db/password";
        await _ssm.PutAsync(name, "first", ParameterType.SecureString);
        Assert.Equal(("first", 1L), Read(await _ssm.GetAsync(name)));

        await _ssm.PutAsync(name, "second", ParameterType.SecureString, overwrite: true);

        Assert.Equal(("second", 2L), Read(await _ssm.GetAsync(name)));
        await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = name });
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => _ssm.GetAsync(name));
    }

    [Fact]
    public async Task A_moved_label_selects_its_new_version_on_the_very_next_get()
    {
        var name = SsmTestKit.UniquePath() + "/feature";
        await _ssm.PutAsync(name, "v1", ParameterType.String);
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["live"] });
        Assert.Equal(("v1", 1L), Read(await _ssm.GetAsync(name + ":live")));

        await _ssm.PutAsync(name, "v2", ParameterType.String, overwrite: true);
        Assert.Equal(("v1", 1L), Read(await _ssm.GetAsync(name + ":live")));
        await _ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 2, Labels = ["live"] });

        Assert.Equal(("v2", 2L), Read(await _ssm.GetAsync(name + ":live")));
    }

    [Fact]
    public async Task A_new_secret_version_is_AWSCURRENT_on_the_very_next_read()
    {
        var name = "cache-" + Guid.NewGuid().ToString("N")[..12];
        await SecretsKit.AwsAsync(fixture, "create-secret", "--name", name, "--secret-string", "first");
        Assert.Equal("first", await SecretStringAsync(name));

        await SecretsKit.AwsAsync(fixture, "put-secret-value", "--secret-id", name, "--secret-string", "second");
        Assert.Equal("second", await SecretStringAsync(name));

        await SecretsKit.AwsAsync(fixture, "delete-secret", "--secret-id", name, "--force-delete-without-recovery");
        await SecretsKit.AwsFailsAsync(fixture, "ResourceNotFoundException", "get-secret-value", "--secret-id", name);
    }

    private static (string, long) Read(Amazon.SimpleSystemsManagement.Model.Parameter p) => (p.Value, p.Version!.Value);

    private async Task<string> SecretStringAsync(string name)
    {
        using var doc = JsonDocument.Parse(await SecretsKit.AwsAsync(fixture, "get-secret-value", "--secret-id", name));
        return doc.RootElement.GetProperty("SecretString").GetString()!;
    }

    private static async Task<(string KeyId, MemoryStream Blob)> EncryptedAsync(AmazonKeyManagementServiceClient kms)
    {
        var key = await kms.CreateKeyAsync(new CreateKeyRequest());
        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyMetadata.KeyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("Top Secret")) });
        return (key.KeyMetadata.KeyId, encrypted.CiphertextBlob);
    }

    private static async Task<string> DecryptAsync(AmazonKeyManagementServiceClient kms, MemoryStream blob)
    {
        var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob.ToArray()) });
        return Encoding.UTF8.GetString(decrypted.Plaintext.ToArray());
    }
}
