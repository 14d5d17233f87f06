using System.Text.Json.Nodes;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Coffer.Server.Tests.Identity;

namespace Coffer.Server.Tests.Storage;

/// <summary>
/// Each node caches keys, parameters, secrets, access keys and resolved identities (issue 11); a
/// change through one node must take effect through every other on the very next request (issue 10),
/// which the per-topic generations read at the start of each request make so. Each test warms the
/// other node's cache first, so that a cache not told of the change would answer from it.
/// </summary>
public sealed partial class ThreeNodeTests
{
    [StoreFact]
    public async Task A_key_disabled_through_one_node_is_refused_through_another_on_the_next_request()
    {
        using var a = Kms(0);
        using var b = Kms(1);
        var keyId = (await a.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        var plaintext = new MemoryStream("before"u8.ToArray());
        var blob = (await b.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = plaintext })).CiphertextBlob;
        await b.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob.ToArray()) });

        await a.DisableKeyAsync(new DisableKeyRequest { KeyId = keyId });

        await Assert.ThrowsAsync<DisabledException>(() => b.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob.ToArray()) }));
        await Assert.ThrowsAsync<DisabledException>(() => b.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream("after"u8.ToArray()) }));
    }

    [StoreFact]
    public async Task An_access_key_deactivated_and_a_policy_removed_through_one_node_are_enforced_through_another_on_the_next_request()
    {
        var iam = Iam(0);
        await Ssm(0).PutParameterAsync(new PutParameterRequest { Name = "/cached", Value = "v", Type = ParameterType.String });
        var (deactivated, deactivatedSecret) = await iam.CreateUserAsync("deactivated", IamClient.Allow("\"ssm:GetParameter\""));
        var (unpoliced, unpolicedSecret) = await iam.CreateUserAsync("unpoliced", IamClient.Allow("\"ssm:GetParameter\""));
        using var asDeactivated = Ssm(1, new BasicAWSCredentials(deactivated, deactivatedSecret));
        using var asUnpoliced = Ssm(1, new BasicAWSCredentials(unpoliced, unpolicedSecret));
        Assert.Equal("v", (await asDeactivated.GetParameterAsync(new GetParameterRequest { Name = "/cached" })).Parameter.Value);
        Assert.Equal("v", (await asUnpoliced.GetParameterAsync(new GetParameterRequest { Name = "/cached" })).Parameter.Value);

        await iam.CallAsync("UpdateAccessKey", ("UserName", "deactivated"), ("AccessKeyId", deactivated), ("Status", "Inactive"));
        await iam.CallAsync("DeleteUserPolicy", ("UserName", "unpoliced"), ("PolicyName", "inline"));

        var refused = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => asDeactivated.GetParameterAsync(new GetParameterRequest { Name = "/cached" }));
        Assert.True((int)refused.StatusCode is 400 or 403, $"{refused.ErrorCode} ({(int)refused.StatusCode})");
        Assert.Equal("UnrecognizedClientException", refused.ErrorCode);
        var denied = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => asUnpoliced.GetParameterAsync(new GetParameterRequest { Name = "/cached" }));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
    }

    [StoreFact]
    public async Task A_new_parameter_version_and_a_new_AWSCURRENT_through_one_node_are_read_through_another_right_after()
    {
        using var a = Ssm(0);
        using var b = Ssm(1);
        await a.PutParameterAsync(new PutParameterRequest { Name = "/versioned", Value = "one", Type = ParameterType.SecureString });
        Assert.Equal("one", (await b.GetParameterAsync(new GetParameterRequest { Name = "/versioned", WithDecryption = true })).Parameter.Value);
        var arn = (await SecretsAsync(0, "CreateSecret", new JsonObject { ["Name"] = "versioned", ["SecretString"] = "one" }))["ARN"]!.GetValue<string>();
        Assert.Equal("one", await SecretStringAsync(1, arn, "AWSCURRENT"));

        for (var i = 2; i <= 4; i++)
        {
            var value = $"v{i}";
            await a.PutParameterAsync(new PutParameterRequest { Name = "/versioned", Value = value, Type = ParameterType.SecureString, Overwrite = true });
            await SecretsAsync(0, "PutSecretValue", new JsonObject { ["SecretId"] = arn, ["SecretString"] = value });

            var read = (await b.GetParameterAsync(new GetParameterRequest { Name = "/versioned", WithDecryption = true })).Parameter;
            Assert.Equal((value, (long)i), (read.Value, read.Version));
            Assert.Equal(value, await SecretStringAsync(1, arn, "AWSCURRENT"));
            Assert.Equal(i == 2 ? "one" : $"v{i - 1}", await SecretStringAsync(1, arn, "AWSPREVIOUS"));
        }
    }

    private AmazonKeyManagementServiceClient Kms(int node) => new(_root, new AmazonKeyManagementServiceConfig
    {
        ServiceURL = _nodes[node].Endpoint,
        AuthenticationRegion = "us-east-1",
    });

    private AmazonSimpleSystemsManagementClient Ssm(int node, AWSCredentials credentials) => new(credentials, new AmazonSimpleSystemsManagementConfig
    {
        ServiceURL = _nodes[node].Endpoint,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    });

    private IamClient Iam(int node)
    {
        var credentials = _root.GetCredentials();
        return new IamClient(_nodes[node].Endpoint, () => DateTimeOffset.UtcNow, credentials.AccessKey, credentials.SecretKey);
    }
}
