using System.Security.Cryptography;
using Coffer.Core.Crypto;

namespace Coffer.Core.Tests.Crypto;

public sealed class CiphertextBlobTests
{
    private static readonly byte[] Material = RandomNumberGenerator.GetBytes(32);
    private static readonly Dictionary<string, string> Context = new() { ["stage"] = "prod" };

    [Fact]
    public void The_header_names_the_key_and_material_version()
    {
        var keyId = Guid.NewGuid();
        var blob = CiphertextBlob.Encrypt(keyId, 7, Material, "Top Secret"u8, Context);

        Assert.True(CiphertextBlob.TryReadHeader(blob, out var readId, out var version));
        Assert.Equal(keyId, readId);
        Assert.Equal(7, version);
        Assert.Equal(CiphertextBlob.Overhead + 10, blob.Length);
        Assert.Equal(CiphertextBlob.FormatVersion, blob[0]);
    }

    [Fact]
    public void A_blob_decrypts_with_its_material_and_context()
    {
        var blob = CiphertextBlob.Encrypt(Guid.NewGuid(), 1, Material, "Top Secret"u8, Context);

        Assert.True(CiphertextBlob.TryDecrypt(blob, Material, new Dictionary<string, string> { ["stage"] = "prod" }, out var plaintext));
        Assert.Equal("Top Secret"u8.ToArray(), plaintext);
    }

    [Fact]
    public void Changing_any_byte_makes_decryption_fail()
    {
        var blob = CiphertextBlob.Encrypt(Guid.NewGuid(), 1, Material, "Top Secret"u8, Context);
        for (var i = 0; i < blob.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var tampered = (byte[])blob.Clone();
                tampered[i] ^= (byte)(1 << bit);
                Assert.False(CiphertextBlob.TryDecrypt(tampered, Material, Context, out _), $"byte {i}, bit {bit}");
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("dev")]
    public void Another_context_or_none_makes_decryption_fail(string? stage)
    {
        var blob = CiphertextBlob.Encrypt(Guid.NewGuid(), 1, Material, "x"u8, Context);
        var other = stage is null ? null : new Dictionary<string, string> { ["stage"] = stage };

        Assert.False(CiphertextBlob.TryDecrypt(blob, Material, other, out _));
    }

    [Fact]
    public void Other_material_makes_decryption_fail()
    {
        var blob = CiphertextBlob.Encrypt(Guid.NewGuid(), 1, Material, "x"u8, Context);
        Assert.False(CiphertextBlob.TryDecrypt(blob, RandomNumberGenerator.GetBytes(32), Context, out _));
    }

    [Fact]
    public void Truncated_or_foreign_blobs_are_refused_without_throwing()
    {
        var blob = CiphertextBlob.Encrypt(Guid.NewGuid(), 1, Material, "x"u8, Context);

        Assert.False(CiphertextBlob.TryReadHeader(blob.AsSpan(0, CiphertextBlob.Overhead - 1), out _, out _));
        Assert.False(CiphertextBlob.TryDecrypt(blob[..^1], Material, Context, out _));
        Assert.False(CiphertextBlob.TryDecrypt(new byte[200], Material, Context, out _));
        Assert.False(CiphertextBlob.TryDecrypt([], Material, Context, out _));
    }

    [Fact]
    public void Two_encryptions_of_one_plaintext_differ()
    {
        var id = Guid.NewGuid();
        Assert.NotEqual(CiphertextBlob.Encrypt(id, 1, Material, "x"u8, null), CiphertextBlob.Encrypt(id, 1, Material, "x"u8, null));
    }

    [Fact]
    public void Context_encoding_is_unambiguous_and_order_free()
    {
        var a = EncryptionContext.Canonicalize(new Dictionary<string, string> { ["a"] = "bc" });
        var b = EncryptionContext.Canonicalize(new Dictionary<string, string> { ["ab"] = "c" });
        var c1 = EncryptionContext.Canonicalize(new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" });
        var c2 = EncryptionContext.Canonicalize(new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" });

        Assert.NotEqual(a, b);
        Assert.Equal(c1, c2);
        Assert.Empty(EncryptionContext.Canonicalize(null));
    }
}
