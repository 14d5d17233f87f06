using Coffer.Server.Tests.Infrastructure;
using Coffer.Server.Tests.Secrets;
using Microsoft.Playwright;

namespace Coffer.Server.Tests.Console;

/// <summary>
/// A dev server seeded as a team would have it (test/console/seed.py, with boto3), a rotation
/// function (AWS's template, test/python/rotation_function.py), and chromium (<see cref="ConsoleBrowser"/>).
/// </summary>
public sealed class ConsoleFixture : CofferFixture, IAsyncLifetime
{
    public const string LeadPassword = "Lead-Passw0rd!";
    public const string ReaderPassword = "Reader-Passw0rd!";
    public const string ReaderNewPassword = "Reader-N3w-Passw0rd!";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coffer-console-");
    private BackgroundProcess? _function;
    private ConsoleBrowser? _browser;

    public IBrowser Browser => (_browser ?? throw new InvalidOperationException("The browser has not started.")).Browser;

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var service = Path.Combine(_dir.FullName, "api-key.service");
        await File.WriteAllTextAsync(service, "initial");
        var env = ExternalClient.AwsEnvironment(this);
        env["SECRETS_MANAGER_ENDPOINT"] = Endpoint;
        env["SERVICE_FILE"] = service;
        _function = await BackgroundProcess.StartAsync("/usr/bin/python3", ["test/python/rotation_function.py"], env);
        var port = _function.FirstLine.Split(' ')[^1];
        using var registered = System.Text.Json.JsonDocument.Parse(await SecretsKit.CofferAsync(this, "functions", "register", "api-key-rotator", "--url", $"http://127.0.0.1:{port}/", "--timeout", "30"));
        env["FUNCTION_ARN"] = registered.RootElement.GetProperty("FunctionArn").GetString()!;
        env["LEAD_PASSWORD"] = LeadPassword;
        env["READER_PASSWORD"] = ReaderPassword;
        var (code, output) = await ExternalClient.RunAsync("/usr/bin/python3", ["test/console/seed.py"], env);
        Assert.True(code == 0, "seeding failed:\n" + output);
        await Server.Services.Secrets.WhenIdleAsync();

        _browser = await ConsoleBrowser.StartAsync();
    }

    public new async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_function is not null)
        {
            await _function.DisposeAsync();
        }

        await base.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    /// <summary>A fresh browser context (no shared state) at 1280×800 with the console open.</summary>
    public Task<IPage> OpenAsync(ColorScheme scheme = ColorScheme.Light) => _browser!.OpenAsync(Endpoint + "/console/", scheme);

    public static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.FillAsync("#user", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin");
    }
}
