using Coffer.Core.Access;

namespace Coffer.Core.Tests.Access;

/// <summary>Policies are validated when written, with a message that names the statement and the element.</summary>
public sealed class PolicyDocumentTests
{
    [Theory]
    [InlineData("not json", PolicyKind.Identity, "not valid JSON")]
    [InlineData("""{"Version":"2012-10-17"}""", PolicyKind.Identity, "no Statement")]
    [InlineData("""{"Version":"2020-01-01","Statement":[]}""", PolicyKind.Identity, "Version")]
    [InlineData("""{"Statement":[]}""", PolicyKind.Identity, "non-empty list")]
    [InlineData("""{"Statement":[{"Effect":"Permit","Action":"s3:*","Resource":"*"}]}""", PolicyKind.Identity, "Statement 1: Effect")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"Second","Effect":"Allow","Resource":"*"}]}""", PolicyKind.Identity, "Statement 2 (Sid \"Second\") has neither Action nor NotAction")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"kms","Resource":"*"}]}""", PolicyKind.Identity, "prefaced by a vendor")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"key/1"}]}""", PolicyKind.Identity, "must be an ARN")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"kms:*","NotAction":"kms:Decrypt","Resource":"*"}]}""", PolicyKind.Identity, "both Action and NotAction")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}""", PolicyKind.Identity, "has Principal")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}""", PolicyKind.Resource, "neither Principal nor NotPrincipal")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/*"},"Action":"kms:*","Resource":"*"}]}""", PolicyKind.Resource, "invalid principal")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"Everyone":"*"},"Action":"kms:*","Resource":"*"}]}""", PolicyKind.Resource, "unknown principal type")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}]}""", PolicyKind.Trust, "has Resource")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}]}""", PolicyKind.Identity, "'StringEqualz' is not a condition operator")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"a:b":"ten"}}}]}""", PolicyKind.Identity, "needs a number")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.1.1.1/8"}}}]}""", PolicyKind.Identity, "IP address")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"a:b":"true"}}}]}""", PolicyKind.Identity, "not a condition operator")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Color":"blue"}]}""", PolicyKind.Identity, "unknown element 'Color'")]
    public void A_malformed_policy_is_refused_with_a_useful_message(string json, PolicyKind kind, string expected)
    {
        var e = Assert.Throws<PolicyFormatException>(() => PolicyDocument.Parse(json, kind));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Statement_positions_are_recorded_for_explanations()
    {
        var policy = PolicyDocument.Parse("{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n    {\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}", PolicyKind.Identity);

        Assert.Equal(new PolicyPosition(3, 5), policy.Statements[0].Start);
        Assert.Equal(new PolicyPosition(4, 5), policy.Statements[1].Start);
        Assert.Equal(4, policy.Statements[1].End.Line);
    }

    [Theory]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abbbd", false)]
    [InlineData("*", "", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*a*b*", "xxaxxbxx", true)]
    [InlineData("*a*b*", "xxbxxaxx", false)]
    public void Wildcards_match_as_IAM_documents(string pattern, string value, bool expected) =>
        Assert.Equal(expected, Wildcard.IsMatch(pattern, value, ignoreCase: false));
}
