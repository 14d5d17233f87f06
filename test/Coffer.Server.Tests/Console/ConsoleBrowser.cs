using Microsoft.Playwright;

namespace Coffer.Server.Tests.Console;

/// <summary>
/// Debian's chromium driven by Playwright: the browser Playwright would download cannot be fetched
/// here, so it is pointed at /usr/bin/chromium (CHROMIUM to override), which .ci/run installs.
/// </summary>
public static class ConsoleBrowser
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, IEnumerable<KeyValuePair<string, string>>? environment = null)
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"The console's browser tests need Debian's chromium at {chromium} (apt-get install chromium; .ci/run does).");
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            Env = environment,
        });
    }

    /// <summary>A fresh context (no shared state) at 1280×800, the size of the docs' screenshots.</summary>
    public static async Task<IPage> OpenAsync(IBrowser browser, string url, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, ColorScheme = scheme });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }
}
