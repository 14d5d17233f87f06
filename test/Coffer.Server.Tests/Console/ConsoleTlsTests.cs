using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Coffer.Server.Tests.Console;

/// <summary>
/// The README's console section, done as written (issue 15): the first start's HTTPS and root
/// credentials, a limited user made with the AWS CLI, and a browser that trusts the data
/// directory's CA; the user sees only what the policies allow.
/// </summary>
public sealed class ConsoleTlsTests(ConsoleTlsFixture fixture) : IClassFixture<ConsoleTlsFixture>
{
    [Fact]
    public async Task The_first_start_over_https_signs_in_the_root_then_a_limited_user_made_with_the_cli_who_sees_only_dev()
    {
        // As the README: parameters in two stages, then a user who may read only dev, with a password.
        await fixture.AwsAsync("ssm", "put-parameter", "--name", "/app/dev/db/host", "--type", "String", "--value", "db.dev.internal");
        await fixture.AwsAsync("ssm", "put-parameter", "--name", "/app/dev/db/password", "--type", "SecureString", "--value", "dev-S3cr3t!");
        await fixture.AwsAsync("ssm", "put-parameter", "--name", "/app/prod/db/password", "--type", "SecureString", "--value", "prod-S3cr3t!");
        await fixture.AwsAsync("iam", "create-user", "--user-name", "alice");
        await fixture.AwsAsync("iam", "put-user-policy", "--user-name", "alice", "--policy-name", "read-dev", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:DescribeParameters","Resource":"*"},{"Effect":"Allow","Action":"ssm:GetParameter*","Resource":"arn:aws:ssm:*:*:parameter/app/dev/*"}]}""");
        await fixture.AwsAsync("iam", "create-login-profile", "--user-name", "alice", "--password", ConsoleTlsFixture.UserPassword);

        await using var browser = await fixture.LaunchAsync(trustCa: true);
        var page = await browser.OpenAsync(fixture.Endpoint + "/console/");
        Assert.StartsWith("https://127.0.0.1:", page.Url, StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => window.isSecureContext"));
        await Expect(page.Locator("#connection")).ToContainTextAsync("HTTPS");
        await ConsoleScreenshots.TakeAsync(page, "sign-in-https");

        // The root, with the access key the first start printed: everything is listed.
        await page.FillAsync("#key-id", fixture.AccessKeyId);
        await page.FillAsync("#secret-key", fixture.SecretAccessKey);
        await page.ClickAsync("#signin-key");
        await Expect(page.Locator("#who")).ToContainTextAsync("root");
        await page.ClickAsync("#param-list a.folder:has-text('app/')");
        await Expect(page.Locator("#param-list")).ToContainTextAsync("dev/");
        await Expect(page.Locator("#param-list")).ToContainTextAsync("prod/");
        await page.ClickAsync("#signout");

        // The limited user, with the password the CLI gave: dev is readable, prod is not listed.
        await page.FillAsync("#user", "alice");
        await page.FillAsync("#password", ConsoleTlsFixture.UserPassword);
        await page.ClickAsync("#signin");
        await Expect(page.Locator("#who")).ToContainTextAsync("alice");
        await page.ClickAsync("#param-list a.folder:has-text('app/')");
        await Expect(page.Locator("#param-list")).ToContainTextAsync("dev/");
        await Expect(page.Locator("#param-list")).Not.ToContainTextAsync("prod/");
        await page.ClickAsync("#param-list a.folder:has-text('dev/')");
        await page.ClickAsync("#param-list a.folder:has-text('db/')");
        await page.ClickAsync("#param-list button:has-text('password')");
        await page.ClickAsync("#reveal");
        await Expect(page.Locator("#param-value")).ToHaveTextAsync("dev-S3cr3t!");
        await page.GotoAsync(fixture.Endpoint + "/console/#/secrets");
        await Expect(page.Locator("#secret-list .denied")).ToContainTextAsync("not authorized to perform: secretsmanager:ListSecrets");

        // The reveal is audited as alice, over the same HTTPS.
        var trail = await fixture.AwsAsync("cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=Username,AttributeValue=alice",
            "--query", "Events[?EventName=='GetParameter'].Resources[].ResourceName", "--output", "text");
        Assert.Contains("/app/dev/db/password", trail, StringComparison.Ordinal);
        await page.ClickAsync("#signout");
        await Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_browser_that_has_not_imported_the_ca_refuses_the_console()
    {
        await using var browser = await fixture.LaunchAsync(trustCa: false);
        var page = await browser.Browser.NewPageAsync();
        var refused = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(fixture.Endpoint + "/console/"));
        Assert.Contains("ERR_CERT_AUTHORITY_INVALID", refused.Message, StringComparison.Ordinal);
    }
}
