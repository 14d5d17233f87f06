using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Crypto;

namespace Coffer.Core.Tests.Crypto;

/// <summary>The managed SHA-224 behind KMS's HMAC_224 keys (issue 13), against FIPS 180-4 and RFC 4231 vectors.</summary>
public sealed class Sha224Tests
{
    [Theory]
    [InlineData("", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
    [InlineData("abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525")]
    public void Sha224_matches_the_standard_vectors(string message, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Sha224.HashData(Encoding.ASCII.GetBytes(message))));

    [Fact]
    public void Sha224_matches_a_reference_implementation_at_every_length_around_the_block_boundaries()
    {
        // SHA-256 over the SHA-224 digests of the messages of 0 to 299 bytes (byte i = i mod 251), from Python's hashlib.
        using var all = new MemoryStream();
        for (var n = 0; n < 300; n++)
        {
            all.Write(Sha224.HashData(Enumerable.Range(0, n).Select(i => (byte)(i % 251)).ToArray()));
        }

        Assert.Equal("ab472b8623b3705e8b8861dfc8d423899ea3edeb8fbbb15591f795f77f1b3191", Convert.ToHexStringLower(SHA256.HashData(all.ToArray())));
    }

    [Fact]
    public void Hmac_sha224_matches_RFC_4231_with_a_short_and_a_longer_than_block_key()
    {
        Assert.Equal(
            "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
            Convert.ToHexStringLower(Sha224.Hmac(Enumerable.Repeat((byte)0x0b, 20).ToArray(), "Hi There"u8)));
        Assert.Equal(
            "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
            Convert.ToHexStringLower(Sha224.Hmac(Enumerable.Repeat((byte)0xaa, 131).ToArray(), "Test Using Larger Than Block-Size Key - Hash Key First"u8)));
    }
}
