using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Kms;

/// <summary>Deletion windows and automatic rotation, on a fake clock: nothing sleeps.</summary>
public sealed class KmsScheduleTests(FakeClockCofferFixture fixture) : IClassFixture<FakeClockCofferFixture>
{
    private readonly AmazonKeyManagementServiceClient _kms = fixture.Kms();

    [Fact]
    public async Task When_the_deletion_window_ends_the_key_and_all_its_material_are_destroyed()
    {
        var key = (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        await _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/doomed", TargetKeyId = key });
        await _kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key });
        var blob = (await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("x")) })).CiphertextBlob;
        await _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key, PendingWindowInDays = 7 });

        fixture.Clock!.Advance(TimeSpan.FromDays(6));
        await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);
        Assert.Equal(KeyState.PendingDeletion, (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata.KeyState);

        fixture.Clock.Advance(TimeSpan.FromDays(1.01));
        Assert.True(await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None) >= 1);

        await Assert.ThrowsAsync<NotFoundException>(() => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key }));
        await Assert.ThrowsAsync<NotFoundException>(() => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/doomed" }));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        var id = Guid.Parse(key);
        foreach (var version in new[] { 1, 2 })
        {
            Assert.Null(await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Kms.FindMaterialAsync(id, version, ct)));
        }
    }

    [Fact]
    public async Task Automatic_rotation_happens_when_due_and_old_ciphertexts_still_decrypt()
    {
        var key = (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        var before = (await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("before")) })).CiphertextBlob;
        await _kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key, RotationPeriodInDays = 90 });

        fixture.Clock!.Advance(TimeSpan.FromDays(91));
        await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);

        var rotations = await _kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key });
        var rotation = Assert.Single(rotations.Rotations);
        Assert.Equal(RotationType.AUTOMATIC, rotation.RotationType);
        var status = await _kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key });
        Assert.Equal(fixture.Clock.GetUtcNow().AddDays(90).UtcDateTime, status.NextRotationDate!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal("before", Encoding.UTF8.GetString((await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = before })).Plaintext.ToArray()));
    }
}
