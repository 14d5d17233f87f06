using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.SecurityToken.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Identity;

/// <summary>KMS through the AWS SDK for .NET, signed as a key administrator, a function's role and
/// other users: the key policy and IAM policies decide together, as in AWS.</summary>
public sealed class KmsAccessTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private static readonly string Account = CofferFixture.AccountId;
    private readonly IamClient _iam = new(fixture);

    [Fact]
    public async Task A_key_administrator_manages_the_key_but_cannot_decrypt_and_the_functions_role_decrypts()
    {
        var admin = Unique("key-admin");
        var (adminId, adminSecret) = await _iam.CreateUserAsync(admin, IamClient.Allow("\"kms:*\""));
        var role = Unique("prod-fn");
        var roleArn = await _iam.CreateRoleAsync(role, IamClient.Trust($"{{\"AWS\":\"arn:aws:iam::{Account}:root\"}}"));
        var policy = $$"""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::{{Account}}:root"}, "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:PutKeyPolicy"], "Resource": "*"},
                {"Sid": "KeyAdministrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::{{Account}}:user/{{admin}}"},
                 "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
                 "Resource": "*"},
                {"Sid": "KeyUsers", "Effect": "Allow", "Principal": {"AWS": "{{roleArn}}"}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"}
              ]
            }
            """;
        var key = (await fixture.Kms().CreateKeyAsync(new CreateKeyRequest { Policy = policy, BypassPolicyLockoutSafetyCheck = true })).KeyMetadata;
        var assumed = await IamClient.Sts(fixture, fixture.Credentials()).AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "fn" });
        var function = IamClient.Kms(fixture, assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
        var adminKms = IamClient.Kms(fixture, adminId, adminSecret);

        var blob = (await function.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream("db-password"u8.ToArray()) })).CiphertextBlob;
        var plain = await function.DecryptAsync(new DecryptRequest { CiphertextBlob = blob });
        Assert.Equal("db-password", System.Text.Encoding.UTF8.GetString(plain.Plaintext.ToArray()));

        await adminKms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        await adminKms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        await adminKms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key.KeyId, Description = "prod" });
        var denied = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => adminKms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
        Assert.Equal($"User: arn:aws:iam::{Account}:user/{admin} is not authorized to perform: kms:Decrypt on resource: {key.Arn} because no resource-based policy allows the kms:Decrypt action", denied.Message);

        // The root's IAM permissions count only for what the key policy delegates to the account.
        var rootDenied = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => fixture.Kms().DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        Assert.Equal("AccessDeniedException", rootDenied.ErrorCode);
    }

    [Fact]
    public async Task An_encryption_context_condition_limits_decryption_to_one_stage()
    {
        var key = (await fixture.Kms().CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt"],"Resource":"KEY","Condition":{"StringEquals":{"kms:EncryptionContext:stage":"dev"}}}]}"""
            .Replace("KEY", $"arn:aws:kms:*:{Account}:key/{key}", StringComparison.Ordinal);
        var (id, secret) = await _iam.CreateUserAsync(Unique("dev"), policy);
        var dev = IamClient.Kms(fixture, id, secret);
        var prodBlob = (await fixture.Kms().EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = new MemoryStream([1]), EncryptionContext = new() { ["stage"] = "prod" } })).CiphertextBlob;
        var devBlob = (await dev.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = new MemoryStream([2]), EncryptionContext = new() { ["stage"] = "dev" } })).CiphertextBlob;

        Assert.Equal([2], (await dev.DecryptAsync(new DecryptRequest { CiphertextBlob = devBlob, EncryptionContext = new() { ["stage"] = "dev" } })).Plaintext.ToArray());
        var denied = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => dev.DecryptAsync(new DecryptRequest { CiphertextBlob = prodBlob, EncryptionContext = new() { ["stage"] = "prod" } }));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
    }

    [Fact]
    public async Task List_keys_and_list_aliases_leave_out_keys_the_caller_may_not_describe()
    {
        var visible = (await fixture.Kms().CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        var hidden = (await fixture.Kms().CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        var alias = "alias/" + Unique("visible");
        await fixture.Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = visible });
        await fixture.Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/" + Unique("hidden"), TargetKeyId = hidden });
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:ListKeys","kms:ListAliases"],"Resource":"*"},{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"arn:aws:kms:*:*:key/{{visible}}"}]}""";
        var (id, secret) = await _iam.CreateUserAsync(Unique("lister"), policy);
        var kms = IamClient.Kms(fixture, id, secret);

        var keys = new List<string>();
        string? marker = null;
        do
        {
            var page = await kms.ListKeysAsync(new ListKeysRequest { Limit = 1, Marker = marker });
            keys.AddRange(page.Keys.Select(k => k.KeyId));
            marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (marker is not null);

        Assert.Equal([visible], keys);
        // The predefined alias/aws/* aliases are listed to anyone who may list aliases, as in AWS (issue 13).
        var aliases = (await kms.ListAliasesAsync(new ListAliasesRequest())).Aliases.Select(a => a.AliasName).Where(a => !a.StartsWith("alias/aws/", StringComparison.Ordinal)).ToList();
        Assert.Equal([alias], aliases);
        Assert.Contains(hidden, (await fixture.Kms().ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys.Select(k => k.KeyId));
    }

    [Fact]
    public async Task A_changed_policy_applies_to_the_next_request()
    {
        var name = Unique("changing");
        var (id, secret) = await _iam.CreateUserAsync(name, IamClient.Allow("\"kms:CreateKey\""));
        var kms = IamClient.Kms(fixture, id, secret);
        await kms.CreateKeyAsync(new CreateKeyRequest());

        await _iam.CallAsync("PutUserPolicy", ("UserName", name), ("PolicyName", "deny"), ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:*","Resource":"*"}]}"""));

        var denied = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.CreateKeyAsync(new CreateKeyRequest()));
        Assert.EndsWith("with an explicit deny in an identity-based policy", denied.Message, StringComparison.Ordinal);
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
