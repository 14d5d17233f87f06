using Coffer.Core.Audit;

namespace Coffer.Core.Tests.Audit;

public sealed class AuditResourceNamesTests
{
    [Theory]
    [InlineData("arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/db/password", "app/prod/db/password", "/app/prod/db/password")]
    [InlineData("arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db/password-AbCdEf", "prod/db/password", null)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "1234abcd-12ab-34cd-56ef-1234567890ab", null)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:alias/my-function", "alias/my-function", null)]
    [InlineData("arn:aws:iam::111122223333:user/team/reader", "reader", null)]
    public void A_resource_is_found_by_its_arn_and_by_the_name_a_person_types(string arn, string name, string? other)
    {
        var names = AuditResourceNames.Of(arn);
        Assert.Contains(arn, names);
        Assert.Contains(name, names);
        if (other is not null)
        {
            Assert.Contains(other, names);
        }
    }

    [Fact]
    public void Something_that_is_not_an_arn_is_its_own_name()
    {
        Assert.Equal(["not-an-arn"], AuditResourceNames.Of("not-an-arn"));
    }
}
