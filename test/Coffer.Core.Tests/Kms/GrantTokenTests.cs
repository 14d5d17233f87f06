using System.Buffers.Text;
using System.Security.Cryptography;
using Coffer.Core.Kms;

namespace Coffer.Core.Tests.Kms;

public sealed class GrantTokenTests
{
    private static KmsGrant Grant() => new()
    {
        GrantId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        KeyId = Guid.NewGuid(),
        AccountId = "000000000000",
        Region = "us-east-1",
        CreationDate = DateTimeOffset.UnixEpoch,
        GranteePrincipal = "arn:aws:iam::000000000000:user/app",
        IssuingAccount = "000000000000",
        Operations = ["Decrypt"],
    };

    [Fact]
    public void A_token_never_starts_with_a_dash_and_names_its_key_and_grant()
    {
        // CI failure of stop 23: `aws kms retire-grant --grant-token -Xy...` took the token for an option.
        // Without the format byte about one token in 64 started with "-"; a thousand tokens would show it.
        var grant = Grant();
        for (var i = 0; i < 1000; i++)
        {
            var token = GrantTokens.Issue(grant);
            Assert.StartsWith("A", token, StringComparison.Ordinal);
            Assert.Equal((grant.KeyId, grant.GrantId), GrantTokens.Read(token));
        }
    }

    [Fact]
    public void A_token_issued_before_the_format_byte_still_reads()
    {
        var grant = Grant();
        var legacy = new byte[64];
        grant.KeyId.TryWriteBytes(legacy.AsSpan(0, 16), bigEndian: true, out _);
        Convert.FromHexString(grant.GrantId).CopyTo(legacy.AsSpan(16));

        Assert.Equal((grant.KeyId, grant.GrantId), GrantTokens.Read(Base64Url.EncodeToString(legacy)));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("")]
    [InlineData("AQ")]
    public void A_malformed_token_reads_as_none(string token) => Assert.Null(GrantTokens.Read(token));

    [Fact]
    public void A_token_of_an_unknown_format_reads_as_none()
    {
        var bytes = Base64Url.DecodeFromChars(GrantTokens.Issue(Grant()));
        bytes[0] = 2;

        Assert.Null(GrantTokens.Read(Base64Url.EncodeToString(bytes)));
    }
}
