using System.Security.Cryptography;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Kms;

/// <summary>Imported key material through the AWS SDK for .NET (issue 13), on a fake clock for expiry.</summary>
public sealed class KmsImportTests(FakeClockCofferFixture fixture) : IClassFixture<FakeClockCofferFixture>
{
    private readonly AmazonKeyManagementServiceClient _kms = fixture.Kms();

    [Fact]
    public async Task A_MAC_under_imported_HMAC_material_equals_the_HMAC_computed_locally_over_that_material()
    {
        var key = await CreateExternalAsync(KeySpec.HMAC_512, KeyUsageType.GENERATE_VERIFY_MAC);
        var material = RandomNumberGenerator.GetBytes(64);

        await ImportAsync(key, material, null);

        var message = Encoding.UTF8.GetBytes("session=7");
        var mac = await _kms.GenerateMacAsync(new GenerateMacRequest { KeyId = key, Message = new MemoryStream(message), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_512 });
        Assert.Equal(HMACSHA512.HashData(material, message), mac.Mac.ToArray());
        var metadata = (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata;
        Assert.Equal(OriginType.EXTERNAL, metadata.Origin);
        Assert.Equal(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE, metadata.ExpirationModel);
    }

    [Fact]
    public async Task Imported_material_is_deleted_when_it_expires_and_the_key_waits_for_an_import()
    {
        var key = await CreateExternalAsync(KeySpec.SYMMETRIC_DEFAULT, KeyUsageType.ENCRYPT_DECRYPT);
        await ImportAsync(key, RandomNumberGenerator.GetBytes(32), fixture.Clock!.GetUtcNow().AddDays(2));
        var blob = (await _kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = new MemoryStream([1, 2, 3]) })).CiphertextBlob.ToArray();

        fixture.Clock.Advance(TimeSpan.FromDays(1));
        await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None);
        Assert.Equal([1, 2, 3], (await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) })).Plaintext.ToArray());

        fixture.Clock.Advance(TimeSpan.FromDays(1.5));
        Assert.True(await fixture.Server.Services.RunDueWorkAsync(CancellationToken.None) >= 1);

        Assert.Equal(KeyState.PendingImport, (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata.KeyState);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }));
        Assert.Null(await fixture.Server.Services.Store.ReadAsync((s, ct) => s.Kms.FindMaterialAsync(Guid.Parse(key), 1, ct)));
    }

    [Fact]
    public async Task An_import_token_expires_after_24_hours()
    {
        var key = await CreateExternalAsync(KeySpec.SYMMETRIC_DEFAULT, KeyUsageType.ENCRYPT_DECRYPT);
        var parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = key, WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec = WrappingKeySpec.RSA_2048 });

        fixture.Clock!.Advance(TimeSpan.FromHours(25));

        await Assert.ThrowsAsync<ExpiredImportTokenException>(() => _kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest
        {
            KeyId = key, ImportToken = parameters.ImportToken, EncryptedKeyMaterial = new MemoryStream(Wrap(parameters.PublicKey.ToArray(), RandomNumberGenerator.GetBytes(32))),
            ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE,
        }));
    }

    private async Task<string> CreateExternalAsync(KeySpec spec, KeyUsageType usage) =>
        (await _kms.CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL, KeySpec = spec, KeyUsage = usage })).KeyMetadata.KeyId;

    private async Task ImportAsync(string key, byte[] material, DateTimeOffset? validTo)
    {
        var parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = key, WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec = WrappingKeySpec.RSA_2048 });
        await _kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest
        {
            KeyId = key,
            ImportToken = parameters.ImportToken,
            EncryptedKeyMaterial = new MemoryStream(Wrap(parameters.PublicKey.ToArray(), material)),
            ExpirationModel = validTo is null ? ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE : ExpirationModelType.KEY_MATERIAL_EXPIRES,
            ValidTo = validTo?.UtcDateTime,
        });
    }

    private static byte[] Wrap(byte[] spki, byte[] material)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(spki, out _);
        return rsa.Encrypt(material, RSAEncryptionPadding.OaepSHA256);
    }
}
