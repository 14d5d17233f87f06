using System.Security.Cryptography;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Kms;

/// <summary>Asymmetric signing keys through the AWS SDK for .NET (issue 13): every signing algorithm,
/// checked against the public key with .NET's own crypto API, as a relying party would.</summary>
public sealed class KmsSigningTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonKeyManagementServiceClient _kms = fixture.Kms();

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("RSA_3072")]
    [InlineData("RSA_4096")]
    [InlineData("ECC_NIST_P256")]
    [InlineData("ECC_NIST_P384")]
    [InlineData("ECC_NIST_P521")]
    [InlineData("ECC_SECG_P256K1")]
    public async Task A_signature_Coffer_makes_verifies_locally_against_GetPublicKey_with_every_algorithm_of_the_key(string keySpec)
    {
        var keyId = await CreateKeyAsync(keySpec, KeyUsageType.SIGN_VERIFY);
        var publicKey = await _kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId });
        Assert.Equal(keySpec, publicKey.KeySpec.Value);
        Assert.Equal(KeyUsageType.SIGN_VERIFY, publicKey.KeyUsage);
        Assert.NotEmpty(publicKey.SigningAlgorithms);
        var message = Encoding.UTF8.GetBytes("an invoice to sign " + keySpec);

        foreach (var algorithm in publicKey.SigningAlgorithms)
        {
            var raw = await SignAsync(keyId, message, algorithm, MessageType.RAW);
            Assert.True(VerifyLocally(publicKey.PublicKey.ToArray(), algorithm, message, raw), $"{algorithm} RAW");

            var digest = await SignAsync(keyId, Hash(algorithm, message), algorithm, MessageType.DIGEST);
            Assert.True(VerifyLocally(publicKey.PublicKey.ToArray(), algorithm, message, digest), $"{algorithm} DIGEST");

            var verified = await _kms.VerifyAsync(new VerifyRequest { KeyId = keyId, Message = new MemoryStream(message), Signature = new MemoryStream(raw), SigningAlgorithm = algorithm });
            Assert.True(verified.SignatureValid);
            Assert.Equal(publicKey.KeyId, verified.KeyId);
        }
    }

    [Fact]
    public async Task Verify_of_a_changed_message_or_signature_is_KMSInvalidSignatureException()
    {
        var keyId = await CreateKeyAsync("ECC_NIST_P256", KeyUsageType.SIGN_VERIFY);
        var message = Encoding.UTF8.GetBytes("pay 10 EUR");
        var signature = await SignAsync(keyId, message, SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW);

        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => _kms.VerifyAsync(new VerifyRequest
        {
            KeyId = keyId, Message = new MemoryStream(Encoding.UTF8.GetBytes("pay 99 EUR")), Signature = new MemoryStream(signature), SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
        }));
        signature[^1] ^= 1;
        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => _kms.VerifyAsync(new VerifyRequest
        {
            KeyId = keyId, Message = new MemoryStream(message), Signature = new MemoryStream(signature), SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
        }));
    }

    [Fact]
    public async Task Signing_a_digest_equals_signing_its_message_and_Verify_takes_either_form()
    {
        var keyId = await CreateKeyAsync("RSA_2048", KeyUsageType.SIGN_VERIFY);
        var message = Encoding.UTF8.GetBytes("signed once, checked twice");
        var signature = await SignAsync(keyId, message, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, MessageType.RAW);

        // PKCS#1 v1.5 is deterministic: the DIGEST form of the same message must give the same bytes, and verify as a digest.
        var overDigest = await SignAsync(keyId, SHA256.HashData(message), SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, MessageType.DIGEST);
        Assert.Equal(signature, overDigest);
        var verified = await _kms.VerifyAsync(new VerifyRequest
        {
            KeyId = keyId, Message = new MemoryStream(SHA256.HashData(message)), MessageType = MessageType.DIGEST, Signature = new MemoryStream(signature), SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
        });
        Assert.True(verified.SignatureValid);
    }

    [Fact]
    public async Task A_digest_of_the_wrong_length_or_an_algorithm_of_another_curve_is_refused()
    {
        var keyId = await CreateKeyAsync("ECC_NIST_P384", KeyUsageType.SIGN_VERIFY);

        var error = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() =>
            SignAsync(keyId, new byte[32], SigningAlgorithmSpec.ECDSA_SHA_384, MessageType.DIGEST));
        Assert.Equal("ValidationException", error.ErrorCode);
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => SignAsync(keyId, [1, 2, 3], SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => SignAsync(keyId, [1, 2, 3], SigningAlgorithmSpec.RSASSA_PSS_SHA_256, MessageType.RAW));
    }

    [Fact]
    public async Task DescribeKey_shows_the_key_spec_usage_and_signing_algorithms()
    {
        var keyId = await CreateKeyAsync("ECC_NIST_P521", KeyUsageType.SIGN_VERIFY);

        var metadata = (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata;

        Assert.Equal(KeySpec.ECC_NIST_P521, metadata.KeySpec);
        Assert.Equal(KeyUsageType.SIGN_VERIFY, metadata.KeyUsage);
        Assert.Equal([SigningAlgorithmSpec.ECDSA_SHA_512], metadata.SigningAlgorithms);
        Assert.Empty(metadata.EncryptionAlgorithms ?? []);
    }

    private async Task<string> CreateKeyAsync(string spec, KeyUsageType usage) =>
        (await _kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = usage })).KeyMetadata.KeyId;

    private async Task<byte[]> SignAsync(string keyId, byte[] message, string algorithm, MessageType type) =>
        (await _kms.SignAsync(new SignRequest { KeyId = keyId, Message = new MemoryStream(message), MessageType = type, SigningAlgorithm = algorithm })).Signature.ToArray();

    private static HashAlgorithmName HashOf(string algorithm) => algorithm[^3..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static byte[] Hash(string algorithm, byte[] message) => HashOf(algorithm).Name switch
    {
        "SHA256" => SHA256.HashData(message),
        "SHA384" => SHA384.HashData(message),
        _ => SHA512.HashData(message),
    };

    /// <summary>Verification with .NET alone, from the DER SubjectPublicKeyInfo that GetPublicKey returns.</summary>
    private static bool VerifyLocally(byte[] spki, string algorithm, byte[] message, byte[] signature)
    {
        if (algorithm.StartsWith("ECDSA", StringComparison.Ordinal))
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
            return ecdsa.VerifyData(message, signature, HashOf(algorithm), DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(spki, out _);
        var padding = algorithm.StartsWith("RSASSA_PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return rsa.VerifyData(message, signature, HashOf(algorithm), padding);
    }
}
