using System.Net;
using System.Xml.Linq;
using Amazon.KeyManagementService;
using Amazon.SecurityToken;
using Coffer.Server.Auth;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Identity;

/// <summary>An IAM call failed: the query protocol's error code and message.</summary>
public sealed class IamException(HttpStatusCode status, string code, string message) : Exception($"{code}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;
}

/// <summary>
/// IAM over the query protocol, signed with SigV4 as the AWS SDKs sign it (this registry has no IAM
/// package for .NET; the CLI and boto3 scripts exercise IAM with AWS's own clients). Tests use it
/// to set up users, roles and policies, then call KMS and STS with the official SDK as each principal.
/// </summary>
public sealed class IamClient(string endpoint, Func<DateTimeOffset> clock, string accessKeyId = CofferFixture.AccessKeyId, string secret = CofferFixture.SecretAccessKey, string? sessionToken = null)
{
    /// <summary>Signs as the fixture's root, on the wall clock (SigV4's skew window is on the wall clock; only Coffer's domain clock is fake).</summary>
    public IamClient(CofferFixture fixture)
        : this(fixture.Endpoint, () => DateTimeOffset.UtcNow)
    {
    }

    public Task<XElement> CallAsync(string action, params (string Name, string Value)[] parameters) => CallAsync("iam", action, parameters);

    /// <summary>A query-protocol call to IAM or STS (the service the request is signed for).</summary>
    public async Task<XElement> CallAsync(string service, string action, params (string Name, string Value)[] parameters)
    {
        using var http = new HttpClient();
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", service == "iam" ? "2010-05-08" : "2011-06-15") };
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint + "/")) { Content = new FormUrlEncodedContent(form) };
        await SigV4Signer.SignAsync(request, accessKeyId, secret, sessionToken, "us-east-1", service, clock());
        using var response = await http.SendAsync(request);
        var xml = XElement.Parse(await response.Content.ReadAsStringAsync());
        if (!response.IsSuccessStatusCode)
        {
            var error = xml.Elements().First(e => e.Name.LocalName == "Error");
            throw new IamException(response.StatusCode, Value(error, "Code"), Value(error, "Message"));
        }

        return xml;
    }

    /// <summary>The text of the first element with this name in a response.</summary>
    public static string Value(XElement response, string name) => response.Descendants().First(e => e.Name.LocalName == name).Value;

    public async Task<(string AccessKeyId, string Secret)> CreateUserAsync(string name, string? policy = null)
    {
        await CallAsync("CreateUser", ("UserName", name));
        if (policy is not null)
        {
            await CallAsync("PutUserPolicy", ("UserName", name), ("PolicyName", "inline"), ("PolicyDocument", policy));
        }

        var key = await CallAsync("CreateAccessKey", ("UserName", name));
        return (Value(key, "AccessKeyId"), Value(key, "SecretAccessKey"));
    }

    public async Task<string> CreateRoleAsync(string name, string trustPolicy, string? policy = null)
    {
        var role = await CallAsync("CreateRole", ("RoleName", name), ("AssumeRolePolicyDocument", trustPolicy));
        if (policy is not null)
        {
            await CallAsync("PutRolePolicy", ("RoleName", name), ("PolicyName", "inline"), ("PolicyDocument", policy));
        }

        return Value(role, "Arn");
    }

    public static string Allow(string actions, string resource = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{actions}},"Resource":"{{resource}}"}]}""";

    public static string Trust(string principal) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"sts:AssumeRole"}]}""";

    public static AmazonSecurityTokenServiceClient Sts(CofferFixture fixture, Amazon.Runtime.AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = fixture.Endpoint, AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });

    public static AmazonKeyManagementServiceClient Kms(CofferFixture fixture, string accessKeyId, string secret, string? token = null) =>
        fixture.Kms(fixture.Credentials(accessKeyId, secret, token));
}
