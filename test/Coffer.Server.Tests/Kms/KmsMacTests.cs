using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Kms;

/// <summary>HMAC keys through the AWS SDK for .NET (issue 13): GenerateMac, VerifyMac and the usage rules.</summary>
public sealed class KmsMacTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonKeyManagementServiceClient _kms = fixture.Kms();

    [Theory]
    [InlineData("HMAC_224", "HMAC_SHA_224", 28)]
    [InlineData("HMAC_256", "HMAC_SHA_256", 32)]
    [InlineData("HMAC_384", "HMAC_SHA_384", 48)]
    [InlineData("HMAC_512", "HMAC_SHA_512", 64)]
    public async Task A_MAC_is_as_long_as_the_hash_repeats_for_the_same_message_and_verifies(string keySpec, string algorithm, int length)
    {
        var key = await _kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = keySpec, KeyUsage = KeyUsageType.GENERATE_VERIFY_MAC });
        Assert.Equal([algorithm], key.KeyMetadata.MacAlgorithms);
        Assert.Empty(key.KeyMetadata.EncryptionAlgorithms ?? []);
        var keyId = key.KeyMetadata.KeyId;

        var mac = await MacAsync(keyId, "session=42", algorithm);
        Assert.Equal(length, mac.Length);
        Assert.Equal(mac, await MacAsync(keyId, "session=42", algorithm));
        Assert.NotEqual(mac, await MacAsync(keyId, "session=43", algorithm));

        var verified = await _kms.VerifyMacAsync(new VerifyMacRequest { KeyId = keyId, Message = Bytes("session=42"), MacAlgorithm = algorithm, Mac = new MemoryStream(mac) });
        Assert.True(verified.MacValid);
        Assert.Equal(key.KeyMetadata.Arn, verified.KeyId);
    }

    [Fact]
    public async Task A_changed_message_or_MAC_is_KMSInvalidMacException()
    {
        var keyId = (await _kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256, KeyUsage = KeyUsageType.GENERATE_VERIFY_MAC })).KeyMetadata.KeyId;
        var mac = await MacAsync(keyId, "amount=10", MacAlgorithmSpec.HMAC_SHA_256);

        await Assert.ThrowsAsync<KMSInvalidMacException>(() => _kms.VerifyMacAsync(new VerifyMacRequest { KeyId = keyId, Message = Bytes("amount=99"), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256, Mac = new MemoryStream(mac) }));
        mac[0] ^= 0x80;
        await Assert.ThrowsAsync<KMSInvalidMacException>(() => _kms.VerifyMacAsync(new VerifyMacRequest { KeyId = keyId, Message = Bytes("amount=10"), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256, Mac = new MemoryStream(mac) }));
        await Assert.ThrowsAsync<KMSInvalidMacException>(() => _kms.VerifyMacAsync(new VerifyMacRequest { KeyId = keyId, Message = Bytes("amount=10"), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256, Mac = new MemoryStream(mac[..16]) }));
    }

    [Fact]
    public async Task Another_algorithm_or_a_non_HMAC_key_is_InvalidKeyUsageException_and_HMAC_keys_do_not_encrypt_or_rotate()
    {
        var keyId = (await _kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_384, KeyUsage = KeyUsageType.GENERATE_VERIFY_MAC })).KeyMetadata.KeyId;
        var symmetric = (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;

        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => MacAsync(keyId, "x", MacAlgorithmSpec.HMAC_SHA_256));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => MacAsync(symmetric, "x", MacAlgorithmSpec.HMAC_SHA_256));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = Bytes("x") }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => _kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = keyId, NumberOfBytes = 32 }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => _kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => _kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId }));
        var wrongUsage = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => _kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256 }));
        Assert.Equal("ValidationException", wrongUsage.ErrorCode);
    }

    private async Task<byte[]> MacAsync(string keyId, string message, string algorithm) =>
        (await _kms.GenerateMacAsync(new GenerateMacRequest { KeyId = keyId, Message = Bytes(message), MacAlgorithm = algorithm })).Mac.ToArray();

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
