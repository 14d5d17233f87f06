using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace Coffer.Server.Tests.Console;

/// <summary>A server whose request clock stands still, so a sign-in penalty does not wear off while a test runs.</summary>
public sealed class StillClockCofferFixture : CofferFixture
{
    protected override CofferServerOptions Configure(CofferServerOptions options) =>
        options with { RequestClock = new FakeTimeProvider(DateTimeOffset.UtcNow) };
}

/// <summary>
/// The console's sign-in, as an attacker would try it (issue 15): from another site, as a form,
/// by guessing, and with a stolen session after sign-out.
/// </summary>
public sealed class ConsoleSignInTests(StillClockCofferFixture fixture) : IClassFixture<StillClockCofferFixture>
{
    internal const string Password = "Canary-Passw0rd-7f3a!";

    /// <summary>A user with <see cref="Password"/>, made with the AWS CLI (once: a second call finds it made).</summary>
    internal async Task UserAsync(string name)
    {
        var env = ExternalClient.AwsEnvironment(fixture);
        var (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "iam", "create-user", "--user-name", name], env);
        if (code != 0)
        {
            Assert.Contains("EntityAlreadyExists", output, StringComparison.Ordinal);
            return;
        }

        (code, output) = await ExternalClient.RunAsync(ExternalClient.AwsCliV2, ["--endpoint-url", fixture.Endpoint, "iam", "create-login-profile", "--user-name", name, "--password", Password], env);
        Assert.True(code == 0, output);
    }

    internal async Task<HttpResponseMessage> SignInAsync(string user, string password, string? origin = "own", string contentType = "application/json", string? site = "same-origin")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Endpoint + "/_coffer/console/signin")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { userName = user, password }), Encoding.UTF8, contentType),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin == "own" ? fixture.Endpoint : origin);
        }

        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }

        return await http.SendAsync(request);
    }

    [Theory]
    [InlineData("https://evil.example", "application/json", "cross-site")]
    [InlineData("https://evil.example", "application/json", null)]
    [InlineData(null, "application/json", null)]
    [InlineData("own", "text/plain", "same-origin")]
    [InlineData("own", "application/x-www-form-urlencoded", "same-origin")]
    [InlineData("own", "application/json", "same-site")]
    public async Task Sign_in_from_another_page_or_as_a_form_is_refused_even_with_the_right_password(string? origin, string contentType, string? site)
    {
        await UserAsync("csrf-target");
        using var response = await SignInAsync("csrf-target", Password, origin, contentType, site);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("sessionToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_over_plain_HTTP_at_a_name_other_than_an_address_or_localhost_is_refused_as_DNS_rebinding()
    {
        await UserAsync("rebinding-target");
        var endpoint = new Uri(fixture.Endpoint);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Endpoint + "/_coffer/console/signin")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { userName = "rebinding-target", password = Password }), Encoding.UTF8, "application/json"),
        };
        // What a browser sends from a page at rebound.example whose name now resolves to this server.
        request.Headers.Host = $"rebound.example:{endpoint.Port}";
        request.Headers.Add("Origin", $"http://rebound.example:{endpoint.Port}");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("sessionToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var own = await SignInAsync("rebinding-target", Password);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_audited_as_a_failed_ConsoleLogin_and_no_password_is_logged_or_audited()
    {
        await UserAsync("wrong-pw");
        using var wrong = await SignInAsync("wrong-pw", "Not-" + Password);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var right = await SignInAsync("wrong-pw", Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);

        var logins = (await SecretsKit.AuditRecordsAsync(fixture)).Where(r => r.GetProperty("eventName").GetString() == "ConsoleLogin").ToList();
        Assert.Contains(logins, r => r.TryGetProperty("errorMessage", out var m) && m.GetString() == "Failed authentication");
        Assert.Contains(logins, r => r.GetProperty("userIdentity").GetProperty("arn").GetString()!.EndsWith(":user/wrong-pw", StringComparison.Ordinal) && !r.TryGetProperty("errorCode", out _));
        var everything = string.Join('\n', (await SecretsKit.AuditRecordsAsync(fixture)).Select(r => r.GetRawText())) + string.Join('\n', fixture.Logs.Lines);
        Assert.DoesNotContain(Password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("$argon2id$", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_at_once_so_a_stolen_copy_stops_working()
    {
        await UserAsync("leaver");
        using var response = await SignInAsync("leaver", Password);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        var (id, secret, token) = (session.GetProperty("accessKeyId").GetString()!, session.GetProperty("secretAccessKey").GetString()!, session.GetProperty("sessionToken").GetString()!);
        using var sts = new AmazonSecurityTokenServiceClient(fixture.Credentials(id, secret, token), new AmazonSecurityTokenServiceConfig { ServiceURL = fixture.Endpoint, AuthenticationRegion = CofferFixture.Region, MaxErrorRetry = 0 });
        var me = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.EndsWith(":user/leaver", me.Arn, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.Parse(session.GetProperty("expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= DateTimeOffset.UtcNow.AddHours(1).AddMinutes(1));

        using var http = new HttpClient();
        using var signOut = new HttpRequestMessage(HttpMethod.Post, fixture.Endpoint + "/_coffer/console/signout") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        signOut.Headers.Add("Origin", fixture.Endpoint);
        await SigV4Signer.SignAsync(signOut, id, secret, token, CofferFixture.Region, "sts", DateTimeOffset.UtcNow);
        using var signedOut = await http.SendAsync(signOut);
        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("InvalidClientTokenId", error.ErrorCode);
    }

    [Fact]
    public async Task The_console_is_served_from_the_binary_with_a_strict_policy_and_no_inline_script()
    {
        using var http = new HttpClient();
        using var page = await http.GetAsync(fixture.Endpoint + "/console/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotMatch("\\son[a-z]+=", html);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        using var missing = await http.GetAsync(fixture.Endpoint + "/console/Coffer.Server.dll");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

/// <summary>Guessing, in a server of its own: the penalty it earns is per source address too, and would slow the other tests.</summary>
public sealed class ConsoleSignInThrottleTests(StillClockCofferFixture fixture) : IClassFixture<StillClockCofferFixture>
{
    private readonly ConsoleSignInTests _kit = new(fixture);

    [Fact]
    public async Task Guessing_one_users_password_is_slowed_down_until_the_right_one_is_refused_too()
    {
        await _kit.UserAsync("guessed");
        for (var i = 0; i < ThrottleSettings.Default.FailuresBeforePenalty; i++)
        {
            using var guess = await _kit.SignInAsync("guessed", $"Guess-{i}-Passw0rd!");
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using var throttled = await _kit.SignInAsync("guessed", ConsoleSignInTests.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
    }
}
