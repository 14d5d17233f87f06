using System.Text.Json;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Fidelity;

/// <summary>Issue 13: multi-Region KMS keys (mrk- ids, ReplicateKey, UpdatePrimaryRegion) through the AWS CLI v2 and boto3.</summary>
public sealed class KmsMultiRegionTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private const string Home = CofferFixture.Region;

    private Task<string> Aws(string region, params string[] arguments) => FidelityKit.AwsAsync(fixture, region, ["kms", .. arguments]);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public async Task A_ciphertext_from_the_primary_decrypts_with_its_replica_in_another_Region()
    {
        var keyId = await Aws(Home, "create-key", "--multi-region", "--query", "KeyMetadata.KeyId", "--output", "text");
        Assert.Matches("^mrk-[0-9a-f]{32}$", keyId);

        var replica = Json(await Aws(Home, "replicate-key", "--key-id", keyId, "--replica-region", "eu-west-1", "--description", "copy", "--output", "json"));
        Assert.Equal($"arn:aws:kms:eu-west-1:{CofferFixture.AccountId}:key/{keyId}", replica.GetProperty("ReplicaKeyMetadata").GetProperty("Arn").GetString());
        Assert.Equal("REPLICA", replica.GetProperty("ReplicaKeyMetadata").GetProperty("MultiRegionConfiguration").GetProperty("MultiRegionKeyType").GetString());

        var blob = await Aws(Home, "encrypt", "--key-id", keyId, "--plaintext", "aGVsbG8=", "--encryption-context", "app=a", "--query", "CiphertextBlob", "--output", "text");
        var opened = Json(await Aws("eu-west-1", "decrypt", "--ciphertext-blob", blob, "--encryption-context", "app=a", "--output", "json"));
        Assert.Equal("aGVsbG8=", opened.GetProperty("Plaintext").GetString());
        Assert.Equal($"arn:aws:kms:eu-west-1:{CofferFixture.AccountId}:key/{keyId}", opened.GetProperty("KeyId").GetString());

        // A Region without the key cannot open it.
        await FidelityKit.AwsFailsAsync(fixture, "ap-south-1", "InvalidCiphertextException", "kms", "decrypt", "--ciphertext-blob", blob, "--encryption-context", "app=a");

        var primary = Json(await Aws(Home, "describe-key", "--key-id", keyId, "--query", "KeyMetadata", "--output", "json"));
        Assert.True(primary.GetProperty("MultiRegion").GetBoolean());
        var config = primary.GetProperty("MultiRegionConfiguration");
        Assert.Equal("PRIMARY", config.GetProperty("MultiRegionKeyType").GetString());
        Assert.Equal(Home, config.GetProperty("PrimaryKey").GetProperty("Region").GetString());
        Assert.Equal("eu-west-1", config.GetProperty("ReplicaKeys")[0].GetProperty("Region").GetString());
        Assert.Contains(keyId, await Aws("eu-west-1", "list-keys", "--query", "Keys[].KeyId", "--output", "text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatePrimaryRegion_swaps_the_primary_and_a_replica()
    {
        var keyId = await Aws(Home, "create-key", "--multi-region", "--query", "KeyMetadata.KeyId", "--output", "text");
        await Aws(Home, "replicate-key", "--key-id", keyId, "--replica-region", "eu-west-2");
        await FidelityKit.AwsFailsAsync(fixture, "eu-west-2", "UnsupportedOperationException", "kms", "enable-key-rotation", "--key-id", keyId);
        await FidelityKit.AwsFailsAsync(fixture, Home, "AlreadyExistsException", "kms", "replicate-key", "--key-id", keyId, "--replica-region", "eu-west-2");

        await Aws(Home, "update-primary-region", "--key-id", keyId, "--primary-region", "eu-west-2");

        Assert.Equal("REPLICA", await Aws(Home, "describe-key", "--key-id", keyId, "--query", "KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType", "--output", "text"));
        Assert.Equal("PRIMARY", await Aws("eu-west-2", "describe-key", "--key-id", keyId, "--query", "KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType", "--output", "text"));
        await FidelityKit.AwsFailsAsync(fixture, Home, "UnsupportedOperationException", "kms", "replicate-key", "--key-id", keyId, "--replica-region", "ca-central-1");
    }

    [Fact]
    public async Task A_single_Region_key_is_not_replicated_and_a_primary_waits_for_its_replicas_before_deletion()
    {
        var single = await Aws(Home, "create-key", "--query", "KeyMetadata.KeyId", "--output", "text");
        await FidelityKit.AwsFailsAsync(fixture, Home, "UnsupportedOperationException", "kms", "replicate-key", "--key-id", single, "--replica-region", "eu-west-1");

        var keyId = await Aws(Home, "create-key", "--multi-region", "--query", "KeyMetadata.KeyId", "--output", "text");
        await Aws(Home, "replicate-key", "--key-id", keyId, "--replica-region", "eu-central-1");
        var scheduled = Json(await Aws(Home, "schedule-key-deletion", "--key-id", keyId, "--pending-window-in-days", "7", "--output", "json"));
        Assert.Equal("PendingReplicaDeletion", scheduled.GetProperty("KeyState").GetString());
        await FidelityKit.AwsFailsAsync(fixture, Home, "KMSInvalidStateException", "kms", "encrypt", "--key-id", keyId, "--plaintext", "aGk=");
        Assert.Equal("Enabled", await Aws("eu-central-1", "describe-key", "--key-id", keyId, "--query", "KeyMetadata.KeyState", "--output", "text"));

        await Aws(Home, "cancel-key-deletion", "--key-id", keyId);
        Assert.Equal("Disabled", await Aws(Home, "describe-key", "--key-id", keyId, "--query", "KeyMetadata.KeyState", "--output", "text"));
    }

    [Fact]
    public async Task Boto3_replicates_a_key_with_its_own_tags_and_the_replica_opens_a_data_key()
    {
        var lines = await FidelityKit.Boto3Async(fixture, """
            home, away = client("kms"), client("kms", "sa-east-1")
            key = home.create_key(MultiRegion=True, Tags=[{"TagKey": "t", "TagValue": "v"}])["KeyMetadata"]
            print(key["KeyId"][:4], key["MultiRegion"])
            rep = home.replicate_key(KeyId=key["KeyId"], ReplicaRegion="sa-east-1", Tags=[{"TagKey": "r", "TagValue": "1"}])
            print(rep["ReplicaKeyMetadata"]["KeyId"] == key["KeyId"], rep["ReplicaTags"])
            sig = home.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")
            print(away.decrypt(CiphertextBlob=sig["CiphertextBlob"])["Plaintext"] == sig["Plaintext"])
            print(code(lambda: home.replicate_key(KeyId=key["KeyId"], ReplicaRegion="not a region")))
            print(code(lambda: home.update_primary_region(KeyId=key["KeyId"], PrimaryRegion="ap-northeast-1")))
            """);

        Assert.Equal(["mrk- True", "True [{'TagKey': 'r', 'TagValue': '1'}]", "True", "ValidationException", "NotFoundException"], lines);
    }

    [Fact]
    public async Task Rotation_is_the_primarys_and_shared_with_its_replicas()
    {
        // Through the AWS SDK for .NET: the machine's CLI v2 and boto3 predate RotateKeyOnDemand.
        using var home = fixture.Kms();
        using var away = fixture.Kms(region: "ap-southeast-2");
        var keyId = (await home.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata.KeyId;
        await home.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "ap-southeast-2" });
        await home.UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest { KeyId = keyId, PrimaryRegion = "ap-southeast-2" });

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => home.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = keyId }));
        await away.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = keyId });

        var blob = (await home.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream("hi"u8.ToArray()) })).CiphertextBlob;
        var opened = await away.DecryptAsync(new DecryptRequest { CiphertextBlob = blob });
        Assert.Equal("hi"u8.ToArray(), opened.Plaintext.ToArray());
        Assert.Single((await home.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = keyId })).Rotations);
        Assert.Equal("REPLICA", (await home.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType.Value);
    }
}
