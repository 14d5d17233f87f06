using System.Security.Cryptography;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Kms;

/// <summary>RSA encryption keys, data key pairs, ECDH key agreement and the usage rules, through the AWS SDK for .NET (issue 13).</summary>
public sealed class KmsAsymmetricTests(CofferFixture fixture) : IClassFixture<CofferFixture>
{
    private readonly AmazonKeyManagementServiceClient _kms = fixture.Kms();

    [Theory]
    [InlineData("RSAES_OAEP_SHA_1")]
    [InlineData("RSAES_OAEP_SHA_256")]
    public async Task Data_encrypted_locally_with_the_public_key_decrypts_in_Coffer_with_KeyId_and_algorithm(string algorithm)
    {
        var keyId = await CreateKeyAsync("RSA_2048", KeyUsageType.ENCRYPT_DECRYPT);
        var publicKey = await _kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId });
        Assert.Equal([EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256], publicKey.EncryptionAlgorithms);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey.PublicKey.ToArray(), out _);
        var padding = algorithm == "RSAES_OAEP_SHA_1" ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256;
        var ciphertext = rsa.Encrypt(Encoding.UTF8.GetBytes("Top Secret"), padding);

        var decrypted = await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(ciphertext), KeyId = keyId, EncryptionAlgorithm = algorithm });

        Assert.Equal("Top Secret", Encoding.UTF8.GetString(decrypted.Plaintext.ToArray()));
        Assert.Equal(algorithm, decrypted.EncryptionAlgorithm.Value);
        var roundTrip = await _kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream([1, 2, 3]), EncryptionAlgorithm = algorithm });
        var again = await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = roundTrip.CiphertextBlob, KeyId = keyId, EncryptionAlgorithm = algorithm });
        Assert.Equal([1, 2, 3], again.Plaintext.ToArray());
        Assert.Equal(algorithm, roundTrip.EncryptionAlgorithm.Value);
    }

    [Fact]
    public async Task An_RSA_ciphertext_without_KeyId_or_with_a_context_is_refused()
    {
        var keyId = await CreateKeyAsync("RSA_3072", KeyUsageType.ENCRYPT_DECRYPT);
        var blob = (await _kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream([7]), EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 })).CiphertextBlob.ToArray();

        await Assert.ThrowsAsync<InvalidCiphertextException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob), EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 }));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob), KeyId = keyId, EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream([7]) }));
        var context = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => _kms.EncryptAsync(new EncryptRequest
        {
            KeyId = keyId, Plaintext = new MemoryStream([7]), EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256,
            EncryptionContext = new Dictionary<string, string> { ["a"] = "b" },
        }));
        Assert.Equal("ValidationException", context.ErrorCode);
    }

    [Theory]
    [InlineData("RSA_2048")]
    [InlineData("ECC_NIST_P256")]
    [InlineData("ECC_SECG_P256K1")]
    public async Task A_data_key_pair_has_a_matching_public_key_and_its_encrypted_private_key_decrypts(string keyPairSpec)
    {
        var keyId = (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        var context = new Dictionary<string, string> { ["purpose"] = "pairs" };

        var pair = await _kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = keyId, KeyPairSpec = keyPairSpec, EncryptionContext = context });
        var privateKey = pair.PrivateKeyPlaintext.ToArray();
        Assert.Equal(pair.PublicKey.ToArray(), PublicKeyOf(privateKey, keyPairSpec));
        var decrypted = await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = pair.PrivateKeyCiphertextBlob, EncryptionContext = context });
        Assert.Equal(privateKey, decrypted.Plaintext.ToArray());
        Assert.Equal(keyPairSpec, pair.KeyPairSpec.Value);

        var withoutPlaintext = await _kms.GenerateDataKeyPairWithoutPlaintextAsync(new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = keyId, KeyPairSpec = keyPairSpec });
        var secondPrivate = (await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = withoutPlaintext.PrivateKeyCiphertextBlob })).Plaintext.ToArray();
        Assert.Equal(withoutPlaintext.PublicKey.ToArray(), PublicKeyOf(secondPrivate, keyPairSpec));
    }

    [Fact]
    public async Task DeriveSharedSecret_agrees_with_ECDH_computed_locally_on_both_sides()
    {
        var keyId = await CreateKeyAsync("ECC_NIST_P384", KeyUsageType.KEY_AGREEMENT);
        var described = (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata;
        Assert.Equal([KeyAgreementAlgorithmSpec.ECDH], described.KeyAgreementAlgorithms);
        var kmsPublic = (await _kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId })).PublicKey.ToArray();
        using var peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);

        var derived = await _kms.DeriveSharedSecretAsync(new DeriveSharedSecretRequest
        {
            KeyId = keyId, KeyAgreementAlgorithm = KeyAgreementAlgorithmSpec.ECDH, PublicKey = new MemoryStream(peer.ExportSubjectPublicKeyInfo()),
        });

        using var kmsSide = ECDiffieHellman.Create();
        kmsSide.ImportSubjectPublicKeyInfo(kmsPublic, out _);
        Assert.Equal(peer.DeriveRawSecretAgreement(kmsSide.PublicKey), derived.SharedSecret.ToArray());
        Assert.Equal("AWS_KMS", derived.KeyOrigin.Value);

        using var otherCurve = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var wrongCurve = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => _kms.DeriveSharedSecretAsync(new DeriveSharedSecretRequest
        {
            KeyId = keyId, KeyAgreementAlgorithm = KeyAgreementAlgorithmSpec.ECDH, PublicKey = new MemoryStream(otherCurve.ExportSubjectPublicKeyInfo()),
        }));
        Assert.Equal("ValidationException", wrongCurve.ErrorCode);
    }

    [Fact]
    public async Task A_key_used_against_its_usage_is_InvalidKeyUsageException_and_asymmetric_keys_do_not_rotate()
    {
        var encryptKey = await CreateKeyAsync("RSA_2048", KeyUsageType.ENCRYPT_DECRYPT);
        var signKey = await CreateKeyAsync("ECC_NIST_P256", KeyUsageType.SIGN_VERIFY);
        var symmetric = (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;

        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => _kms.SignAsync(new SignRequest { KeyId = encryptKey, Message = new MemoryStream([1]), SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PSS_SHA_256 }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = signKey, Plaintext = new MemoryStream([1]), EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => _kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = encryptKey, KeySpec = DataKeySpec.AES_256 }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => _kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = signKey, KeyPairSpec = DataKeyPairSpec.RSA_2048 }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => _kms.SignAsync(new SignRequest { KeyId = symmetric, Message = new MemoryStream([1]), SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => _kms.DeriveSharedSecretAsync(new DeriveSharedSecretRequest { KeyId = signKey, KeyAgreementAlgorithm = KeyAgreementAlgorithmSpec.ECDH, PublicKey = new MemoryStream([1]) }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => _kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = symmetric }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => _kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = signKey }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => _kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = encryptKey }));
        var wrongUsage = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => CreateKeyAsync("ECC_SECG_P256K1", KeyUsageType.KEY_AGREEMENT));
        Assert.Equal("ValidationException", wrongUsage.ErrorCode);
    }

    private async Task<string> CreateKeyAsync(string spec, KeyUsageType usage) =>
        (await _kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = usage })).KeyMetadata.KeyId;

    private static byte[] PublicKeyOf(byte[] pkcs8, string spec)
    {
        if (spec.StartsWith("RSA", StringComparison.Ordinal))
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return rsa.ExportSubjectPublicKeyInfo();
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return ecdsa.ExportSubjectPublicKeyInfo();
    }
}
