using Coffer.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Coffer.Server.Tests.Console;

/// <summary>The console's screenshots at 1280×800: into docs/console/ when COFFER_SCREENSHOTS=1 (to
/// refresh the docs), else into a temporary folder.</summary>
public static class ConsoleScreenshots
{
    private static readonly Lazy<string> Folder = new(() => Directory.CreateDirectory(Environment.GetEnvironmentVariable("COFFER_SCREENSHOTS") == "1"
        ? Path.Combine(ExternalClient.RepositoryRoot, "docs", "console")
        : Path.Combine(Path.GetTempPath(), "coffer-console-screenshots")).FullName);

    public static Task TakeAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Folder.Value, name + ".png") });
}
