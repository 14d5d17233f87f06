using Coffer.Core.Kms;
using Coffer.Core.Secrets;

namespace Coffer.Core.Tests.Kms;

/// <summary>Records keep their ARN once worked out (issue 11): a copy that changes what the ARN is made of
/// must not keep the old one, and what a record has worked out must not change whether it equals another.</summary>
public sealed class KeyArnTests
{
    private static readonly Guid KeyId = Guid.Parse("1234abcd-12ab-34cd-56ef-1234567890ab");

    private static KmsKey Key(string region = "us-east-1") => new()
    {
        KeyId = KeyId, AccountId = "111122223333", Region = region, CreationDate = DateTimeOffset.UnixEpoch, Policy = "{}",
    };

    [Fact]
    public void A_key_copied_into_another_region_has_that_region_in_its_arn()
    {
        var key = Key();
        Assert.Equal("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", key.Arn);

        var copy = key with { Region = "eu-west-1" };
        Assert.Equal("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", copy.Arn);
        Assert.Equal("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", key.Arn);
    }

    [Fact]
    public void A_key_whose_arn_was_read_still_equals_one_whose_arn_was_not()
    {
        var read = Key();
        _ = read.Arn;
        var unread = Key();

        Assert.Equal(unread, read);
        Assert.Equal(unread.GetHashCode(), read.GetHashCode());
    }

    [Fact]
    public void A_secret_renamed_by_a_copy_has_the_new_name_in_its_arn()
    {
        var secret = new Secret
        {
            AccountId = "111122223333", Region = "us-east-1", Name = "prod/db", Suffix = "AbCdEf",
            CreatedDate = DateTimeOffset.UnixEpoch, LastChangedDate = DateTimeOffset.UnixEpoch,
        };
        Assert.EndsWith(":secret:prod/db-AbCdEf", secret.Arn, StringComparison.Ordinal);
        Assert.EndsWith(":secret:prod/other-AbCdEf", (secret with { Name = "prod/other" }).Arn, StringComparison.Ordinal);
        Assert.Equal(secret with { }, secret);
    }
}
