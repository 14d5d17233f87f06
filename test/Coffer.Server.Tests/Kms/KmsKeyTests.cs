using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Kms;

/// <summary>KMS through the AWS SDK for .NET, as a function's code or an operator's tool would use it.</summary>
public sealed class KmsKeyTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonKeyManagementServiceClient _kms = fixture.Kms();

    [Fact]
    public async Task Encrypt_then_decrypt_without_a_key_id_returns_the_plaintext()
    {
        var key = await CreateKeyAsync();
        var encrypted = await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("Top Secret") });

        var decrypted = await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob });

        Assert.Equal("Top Secret", Text(decrypted.Plaintext));
        Assert.Equal(encrypted.KeyId, decrypted.KeyId);
        Assert.EndsWith(":key/" + key, decrypted.KeyId, StringComparison.Ordinal);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, decrypted.EncryptionAlgorithm);
    }

    [Fact]
    public async Task A_key_is_found_by_id_arn_alias_name_and_alias_arn()
    {
        var key = await CreateKeyAsync();
        var alias = "alias/find-" + Guid.NewGuid().ToString("N")[..8];
        await _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key });
        var arn = (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata.Arn;
        var aliasArn = $"arn:aws:kms:{CofferFixture.Region}:{CofferFixture.AccountId}:{alias}";

        foreach (var id in new[] { key, arn, alias, aliasArn })
        {
            var described = await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = id });
            Assert.Equal(key, described.KeyMetadata.KeyId);
        }
    }

    [Fact]
    public async Task The_encryption_context_must_match_to_decrypt()
    {
        var key = await CreateKeyAsync();
        var context = new Dictionary<string, string> { ["stage"] = "prod", ["app"] = "billing" };
        var encrypted = await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("x"), EncryptionContext = context });

        await Assert.ThrowsAsync<InvalidCiphertextException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob }));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => _kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = encrypted.CiphertextBlob,
            EncryptionContext = new Dictionary<string, string> { ["stage"] = "dev", ["app"] = "billing" },
        }));
        var ok = await _kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = encrypted.CiphertextBlob,
            EncryptionContext = new Dictionary<string, string> { ["app"] = "billing", ["stage"] = "prod" },
        });
        Assert.Equal("x", Text(ok.Plaintext));
    }

    [Fact]
    public async Task Decrypt_with_another_key_id_than_the_blob_names_is_IncorrectKeyException()
    {
        var key = await CreateKeyAsync();
        var other = await CreateKeyAsync();
        var encrypted = await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("x") });

        await Assert.ThrowsAsync<IncorrectKeyException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, KeyId = other }));
    }

    [Fact]
    public async Task A_changed_byte_anywhere_in_the_blob_is_InvalidCiphertextException()
    {
        var key = await CreateKeyAsync();
        var blob = (await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("Top Secret") })).CiphertextBlob.ToArray();

        // Every position, over the wire: the header (version, key id, material version), salt, nonce, ciphertext and tag.
        for (var i = 0; i < blob.Length; i++)
        {
            var tampered = (byte[])blob.Clone();
            tampered[i] ^= 0x01;
            var error = await Assert.ThrowsAsync<InvalidCiphertextException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(tampered) }));
            Assert.DoesNotContain("Top Secret", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_disabled_key_neither_encrypts_nor_decrypts_until_enabled()
    {
        var key = await CreateKeyAsync();
        var blob = (await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("x") })).CiphertextBlob;
        await _kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key });

        await Assert.ThrowsAsync<DisabledException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("x") }));
        await Assert.ThrowsAsync<DisabledException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        Assert.Equal(KeyState.Disabled, (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata.KeyState);

        await _kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key });
        Assert.Equal("x", Text((await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob })).Plaintext));
    }

    [Fact]
    public async Task Rotation_adds_material_old_ciphertexts_still_decrypt_and_ReEncrypt_moves_them_to_the_newest()
    {
        var key = await CreateKeyAsync();
        var before = await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("old") });

        await _kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key });
        var after = await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("new") });
        var rotations = await _kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key });

        Assert.Single(rotations.Rotations);
        Assert.Equal(RotationType.ON_DEMAND, rotations.Rotations[0].RotationType);
        var oldDecrypted = await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = before.CiphertextBlob });
        var newDecrypted = await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = after.CiphertextBlob });
        Assert.Equal("old", Text(oldDecrypted.Plaintext));
        Assert.NotEqual(oldDecrypted.KeyMaterialId, newDecrypted.KeyMaterialId);
        Assert.Equal(rotations.Rotations[0].KeyMaterialId, newDecrypted.KeyMaterialId);

        var moved = await _kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = before.CiphertextBlob, DestinationKeyId = key });
        Assert.Equal(newDecrypted.KeyMaterialId, moved.DestinationKeyMaterialId);
        Assert.Equal(oldDecrypted.KeyMaterialId, moved.SourceKeyMaterialId);
        Assert.Equal("old", Text((await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = moved.CiphertextBlob })).Plaintext));
    }

    [Fact]
    public async Task Automatic_rotation_settings_round_trip()
    {
        var key = await CreateKeyAsync();
        Assert.False((await _kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key })).KeyRotationEnabled);

        await _kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key, RotationPeriodInDays = 90 });
        var status = await _kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key });
        Assert.True(status.KeyRotationEnabled);
        Assert.Equal(90, status.RotationPeriodInDays);
        Assert.InRange(status.NextRotationDate!.Value, DateTime.UtcNow.AddDays(89), DateTime.UtcNow.AddDays(91));

        await _kms.DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = key });
        Assert.False((await _kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key })).KeyRotationEnabled);
    }

    [Fact]
    public async Task Scheduling_deletion_blocks_use_and_cancelling_leaves_the_key_disabled()
    {
        var key = await CreateKeyAsync();
        var scheduled = await _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key, PendingWindowInDays = 7 });
        Assert.Equal(KeyState.PendingDeletion, scheduled.KeyState);
        Assert.Equal(7, scheduled.PendingWindowInDays);

        var error = await Assert.ThrowsAsync<KMSInvalidStateException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("x") }));
        Assert.Contains("pending deletion", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key, PendingWindowInDays = 7 }));

        await _kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key });
        Assert.Equal(KeyState.Disabled, (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata.KeyState);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => _kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key }));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    public async Task A_deletion_window_outside_7_to_30_days_is_refused(int days)
    {
        var key = await CreateKeyAsync();
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key, PendingWindowInDays = days }));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal(KeyState.Enabled, (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata.KeyState);
    }

    [Fact]
    public async Task Aliases_are_created_moved_listed_and_deleted()
    {
        var first = await CreateKeyAsync();
        var second = await CreateKeyAsync();
        var alias = "alias/move-" + Guid.NewGuid().ToString("N")[..8];

        await _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = first });
        await Assert.ThrowsAsync<AlreadyExistsException>(() => _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = second }));
        await _kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = alias, TargetKeyId = second });

        var listed = await _kms.ListAliasesAsync(new ListAliasesRequest { KeyId = second });
        Assert.Contains(listed.Aliases, a => a.AliasName == alias && a.TargetKeyId == second);
        Assert.DoesNotContain((await _kms.ListAliasesAsync(new ListAliasesRequest { KeyId = first })).Aliases, a => a.AliasName == alias);

        await _kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = alias });
        await Assert.ThrowsAsync<NotFoundException>(() => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = alias }));
        await Assert.ThrowsAsync<NotFoundException>(() => _kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = alias }));
    }

    [Fact]
    public async Task Reserved_or_malformed_alias_names_are_refused_with_AWSs_errors()
    {
        var key = await CreateKeyAsync();
        await Assert.ThrowsAsync<InvalidAliasNameException>(() => _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/aws/mine", TargetKeyId = key }));

        // Issue 13: a wrong prefix and characters beyond letters, digits, '/', '_' and '-' are ValidationException, in AWS's words.
        var prefix = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "not-an-alias", TargetKeyId = key }));
        Assert.Equal("ValidationException", prefix.ErrorCode);
        Assert.StartsWith("Alias must start with the prefix \"alias/\".", prefix.Message, StringComparison.Ordinal);
        var characters = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/Service:Test", TargetKeyId = key }));
        Assert.Equal("ValidationException", characters.ErrorCode);
        Assert.Equal("alias/Service:Test contains invalid characters for an alias", characters.Message);
    }

    [Fact]
    public async Task The_predefined_AWS_aliases_are_listed_without_a_target_until_used()
    {
        var before = (await _kms.ListAliasesAsync(new ListAliasesRequest { Limit = 100 })).Aliases;
        var unused = before.Where(a => a.AliasName.StartsWith("alias/aws/", StringComparison.Ordinal) && a.TargetKeyId is null).Select(a => a.AliasName).ToList();
        Assert.Contains("alias/aws/dynamodb", unused);
        Assert.Equal(before.Select(a => a.AliasName).Order(StringComparer.Ordinal), before.Select(a => a.AliasName));

        var key = (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/dynamodb" })).KeyMetadata.KeyId;

        var used = Assert.Single((await _kms.ListAliasesAsync(new ListAliasesRequest { Limit = 100 })).Aliases, a => a.AliasName == "alias/aws/dynamodb");
        Assert.Equal(key, used.TargetKeyId);
    }

    [Fact]
    public async Task A_predefined_aws_alias_gets_an_aws_managed_key_on_first_use()
    {
        var described = await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/lambda" });

        Assert.Equal(KeyManagerType.AWS, described.KeyMetadata.KeyManager);

        // As in AWS, an AWS managed key's policy allows cryptographic use only through its service (kms:ViaService).
        var direct = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = "alias/aws/lambda", Plaintext = Bytes("env value") }));
        Assert.Equal("AccessDeniedException", direct.ErrorCode);
        await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => _kms.DisableKeyAsync(new DisableKeyRequest { KeyId = "alias/aws/lambda" }));
        await Assert.ThrowsAsync<NotFoundException>(() => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/not-a-service" }));
    }

    [Fact]
    public async Task Data_keys_come_in_plaintext_and_under_the_key_and_the_copies_match()
    {
        var key = await CreateKeyAsync();
        var dataKey = await _kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key, KeySpec = DataKeySpec.AES_256 });
        var withoutPlaintext = await _kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = key, NumberOfBytes = 16 });

        Assert.Equal(32, dataKey.Plaintext.Length);
        Assert.Equal(dataKey.Plaintext.ToArray(), (await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = dataKey.CiphertextBlob })).Plaintext.ToArray());
        Assert.Null(withoutPlaintext.GetType().GetProperty("Plaintext"));
        Assert.Equal(16, (await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = withoutPlaintext.CiphertextBlob })).Plaintext.Length);

        var neither = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => _kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key }));
        Assert.Equal("ValidationException", neither.ErrorCode);
    }

    [Fact]
    public async Task Generate_random_returns_the_bytes_asked_for()
    {
        var random = await _kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 64 });
        var again = await _kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 64 });

        Assert.Equal(64, random.Plaintext.Length);
        Assert.NotEqual(random.Plaintext.ToArray(), again.Plaintext.ToArray());
    }

    [Fact]
    public async Task Plaintext_over_4096_bytes_is_a_validation_error_and_changes_nothing()
    {
        var key = await CreateKeyAsync();
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = new MemoryStream(new byte[4097]) }));

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Contains("at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096", error.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task Tags_are_added_replaced_listed_and_removed()
    {
        var key = await CreateKeyAsync();
        await _kms.TagResourceAsync(new TagResourceRequest { KeyId = key, Tags = [new Tag { TagKey = "stage", TagValue = "dev" }, new Tag { TagKey = "team", TagValue = "a" }] });
        await _kms.TagResourceAsync(new TagResourceRequest { KeyId = key, Tags = [new Tag { TagKey = "stage", TagValue = "prod" }] });
        await _kms.UntagResourceAsync(new UntagResourceRequest { KeyId = key, TagKeys = ["team"] });

        var tags = await _kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key });
        var tag = Assert.Single(tags.Tags);
        Assert.Equal(("stage", "prod"), (tag.TagKey, tag.TagValue));

        await Assert.ThrowsAsync<TagException>(() => _kms.TagResourceAsync(new TagResourceRequest { KeyId = key, Tags = [new Tag { TagKey = "aws:reserved", TagValue = "x" }] }));
    }

    [Fact]
    public async Task Key_policies_are_validated_stored_and_returned()
    {
        var key = await CreateKeyAsync();
        var initial = await _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key, PolicyName = "default" });
        Assert.Contains($"arn:aws:iam::{CofferFixture.AccountId}:root", initial.Policy, StringComparison.Ordinal);
        Assert.Equal(["default"], (await _kms.ListKeyPoliciesAsync(new ListKeyPoliciesRequest { KeyId = key })).PolicyNames);

        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}""";
        await _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = policy });
        Assert.Equal(policy, (await _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key })).Policy);

        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = "{\"Statement\":[{\"Effect\":\"Maybe\"}]}" }));
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key, Policy = "not json" }));
        Assert.Equal(policy, (await _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key })).Policy);
    }

    [Fact]
    public async Task Listing_keys_pages_through_every_key_once()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateKeyAsync();
        }

        var seen = new List<string>();
        string? marker = null;
        do
        {
            var page = await _kms.ListKeysAsync(new ListKeysRequest { Limit = 2, Marker = marker });
            Assert.True(page.Keys.Count <= 2);
            seen.AddRange(page.Keys.Select(k => k.KeyId));
            marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (marker is not null);

        Assert.True(seen.Count >= 5);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        await Assert.ThrowsAsync<InvalidMarkerException>(() => _kms.ListKeysAsync(new ListKeysRequest { Marker = "garbage" }));
    }

    [Fact]
    public async Task Unknown_and_malformed_key_ids_are_NotFoundException()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Guid.NewGuid().ToString() }));
        await Assert.ThrowsAsync<NotFoundException>(() => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "not-a-key" }));
        await Assert.ThrowsAsync<InvalidArnException>(() => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "arn:aws:kms:us-east-1:111122223333:bogus" }));
    }

    [Fact]
    public async Task Keys_live_in_the_region_they_were_made_in()
    {
        var key = await CreateKeyAsync();
        var blob = (await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = Bytes("x") })).CiphertextBlob;
        using var elsewhere = fixture.Kms(region: "eu-west-1");

        await Assert.ThrowsAsync<NotFoundException>(() => elsewhere.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key }));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => elsewhere.DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        var there = await elsewhere.CreateKeyAsync(new CreateKeyRequest());
        Assert.StartsWith("arn:aws:kms:eu-west-1:111122223333:key/", there.KeyMetadata.Arn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arns_use_the_partition_of_the_region()
    {
        using var china = fixture.Kms(region: "cn-north-1");
        using var govcloud = fixture.Kms(region: "us-gov-west-1");

        Assert.StartsWith("arn:aws-cn:kms:cn-north-1:", (await china.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.Arn, StringComparison.Ordinal);
        Assert.StartsWith("arn:aws-us-gov:kms:us-gov-west-1:", (await govcloud.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.Arn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_key_specs_are_refused_clearly()
    {
        var error = await Assert.ThrowsAsync<UnsupportedOperationException>(() => _kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = "ML_DSA_44", KeyUsage = KeyUsageType.SIGN_VERIFY }));
        Assert.Contains("ML-DSA", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> CreateKeyAsync() => (await _kms.CreateKeyAsync(new CreateKeyRequest { Description = "test" })).KeyMetadata.KeyId;

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string Text(MemoryStream stream) => Encoding.UTF8.GetString(stream.ToArray());
}
