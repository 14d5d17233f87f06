using System.Net;
using Coffer.Server.Tests.Identity;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Security;

/// <summary>
/// Issue 8: what fuzzing found, tried again through real requests. Each was a 500 InternalFailure;
/// each is now the caller's error in AWS's shape. The corpus replay (FuzzCorpusTests) guards the
/// parsers themselves.
/// </summary>
public sealed class FuzzFindingTests(CofferFixture fixture) : IClassFixture<CofferFixture>, IDisposable
{
    private const string LoneSurrogatePolicy = """{"Version":"2012-10-17","Statement":[{"Sid":"\ud800","Effect":"Allow","Action":"kms:*","Resource":"*"}]}""";

    private readonly IamClient _iam = new(fixture);
    private readonly RawClient _raw = new(fixture);

    [Fact]
    public async Task An_iam_policy_with_an_escaped_lone_surrogate_is_a_malformed_policy_not_a_500()
    {
        var name = "surrogate-" + Guid.NewGuid().ToString("N")[..8];
        await _iam.CallAsync("CreateUser", ("UserName", name));

        var error = await Assert.ThrowsAsync<IamException>(() =>
            _iam.CallAsync("PutUserPolicy", ("UserName", name), ("PolicyName", "p"), ("PolicyDocument", LoneSurrogatePolicy)));

        Assert.Equal((HttpStatusCode.BadRequest, "MalformedPolicyDocument"), (error.Status, error.Code));
    }

    [Fact]
    public async Task A_key_policy_with_an_escaped_lone_surrogate_is_a_malformed_policy_not_a_500()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["Policy"] = LoneSurrogatePolicy });

        var (status, type, _, _) = await _raw.SendSignedAsync("TrentService.CreateKey", body);

        Assert.Equal((400, "MalformedPolicyDocumentException"), (status, type));
    }

    [Fact]
    public async Task A_presigned_url_dated_in_the_year_9999_is_refused_not_a_500()
    {
        var credential = Uri.EscapeDataString($"{CofferFixture.AccessKeyId}/99991231/{CofferFixture.Region}/sts/aws4_request");
        var url = $"{fixture.Endpoint}/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + $"&X-Amz-Credential={credential}&X-Amz-Date=99991231T235959Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(url));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not yet current", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _raw.Dispose();
}
