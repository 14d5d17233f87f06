using Microsoft.Playwright;

namespace Coffer.Server.Tests.Console;

/// <summary>
/// Debian's chromium driven by Playwright: the browser Playwright would download cannot be fetched
/// here, so it is pointed at /usr/bin/chromium (CHROMIUM to override), which .ci/run installs.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>With <paramref name="environment"/>, the browser's whole environment (Playwright replaces it).</summary>
    public static async Task<ConsoleBrowser> StartAsync(IEnumerable<KeyValuePair<string, string>>? environment = null)
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"The console's browser tests need Debian's chromium at {chromium} (apt-get install chromium; .ci/run does).");
        // Expect waits for a condition; on a loaded machine a sign-in (Argon2id, twice when the
        // first password is changed) takes longer than the 5 seconds it waits by default.
        Assertions.SetDefaultExpectTimeout(30_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            Env = environment,
        });
        return new ConsoleBrowser(playwright, browser);
    }

    /// <summary>A fresh context (no shared state) at 1280×800, the size of the docs' screenshots.</summary>
    public async Task<IPage> OpenAsync(string url, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, ColorScheme = scheme });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
