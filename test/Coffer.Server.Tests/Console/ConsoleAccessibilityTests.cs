using System.Text.Json;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Coffer.Server.Tests.Console;

/// <summary>
/// axe-core (the npm package in test/js, which .ci/run installs) on every page of the console, in
/// the light and the dark theme (issue 15): a serious or critical violation (a missing label, text
/// without contrast, a control without a name) fails. axe is evaluated in the page by the test,
/// through the browser's debugging protocol: the console itself loads no script but its own, and
/// its Content-Security-Policy stays on.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleAccessibilityTests(ConsoleFixture fixture)
{
    private static readonly Lazy<string> Axe = new(() =>
    {
        var path = Path.Combine(ExternalClient.RepositoryRoot, "test", "js", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(path), $"{path} is missing: run npm ci in test/js (.ci/run does).");
        return File.ReadAllText(path);
    });

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Every_page_passes_axe_without_serious_or_critical_violations(ColorScheme scheme)
    {
        var page = await fixture.OpenAsync(scheme);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", scheme == ColorScheme.Dark ? "dark" : "light");
        var found = new List<string>();
        await CheckAsync(page, "sign-in", found);

        await ConsoleFixture.SignInAsync(page, "lead", ConsoleFixture.LeadPassword);
        await page.GotoAsync(fixture.Endpoint + "/console/#/parameters?path=%2Fapp%2Fprod%2Flog%2F");
        await page.ClickAsync("#param-list button:has-text('level')");
        await page.ClickAsync("#diff");
        await page.ClickAsync("#reveal");
        await Expect(page.Locator("#diff-out .add")).ToHaveCountAsync(1);
        await CheckAsync(page, "parameters", found);

        await page.GotoAsync(fixture.Endpoint + "/console/#/parameters?view=compare");
        await page.ClickAsync("#compare");
        await Expect(page.Locator("#promote-preview")).ToBeVisibleAsync();
        await CheckAsync(page, "compare stages", found);

        await page.GotoAsync(fixture.Endpoint + "/console/#/secrets");
        await page.ClickAsync("#secret-list button:has-text('app/prod/api-key')");
        await Expect(page.Locator("#timeline li").First).ToBeVisibleAsync();
        await CheckAsync(page, "secrets", found);

        await page.GotoAsync(fixture.Endpoint + "/console/#/keys");
        await page.ClickAsync("#key-list tr:has-text('alias/app')");
        await Expect(page.Locator("#key-detail pre")).ToBeVisibleAsync();
        await CheckAsync(page, "keys", found);

        await page.GotoAsync(fixture.Endpoint + "/console/#/activity");
        await page.ClickAsync("#search-trail");
        await Expect(page.Locator("#trail table")).ToBeVisibleAsync();
        await CheckAsync(page, "activity", found);

        await page.GotoAsync(fixture.Endpoint + "/console/#/access");
        await page.FillAsync("#sim-principal", $"arn:aws:iam::{ConsoleFixture.AccountId}:user/dev-reader");
        await page.ClickAsync("#simulate");
        await Expect(page.Locator("#sim-out table")).ToBeVisibleAsync();
        await CheckAsync(page, "access", found);

        await page.GotoAsync(fixture.Endpoint + "/console/#/usage");
        await Expect(page.Locator("#usage-out table").First).ToBeVisibleAsync();
        await CheckAsync(page, "usage", found);

        // A refusal: the error panel must be as readable as the rest.
        await page.ClickAsync("#signout");
        await page.FillAsync("#key-id", "AKIANOSUCHKEY0000000"); // not the root's: its failures would slow the root down
        await page.FillAsync("#secret-key", "not-a-secret");
        await page.ClickAsync("#signin-key");
        await Expect(page.Locator("[role=status] .panel")).ToBeVisibleAsync();
        await CheckAsync(page, "failed sign-in", found);

        await page.Context.CloseAsync();
        Assert.True(found.Count == 0, $"axe found serious or critical violations ({scheme}):\n" + string.Join('\n', found));
    }

    [Fact]
    public async Task The_keyboard_alone_opens_the_search_a_folder_a_parameter_and_a_key()
    {
        var page = await fixture.OpenAsync();
        await ConsoleFixture.SignInAsync(page, "lead", ConsoleFixture.LeadPassword);
        await Expect(page.Locator("#param-list a.folder")).ToHaveTextAsync(["▸ app/"]);

        // "/" jumps to the search; typing narrows the list; Tab reaches the folder, Enter opens it.
        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("#param-search")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("ap");

        // The list is busy from the keystroke until the search's answer is in it: Tab before that
        // would focus an entry the answer then replaces.
        await Expect(page.Locator("#param-list")).ToHaveAttributeAsync("aria-busy", "false");
        await Expect(page.Locator("#param-list a.folder")).ToHaveTextAsync(["▸ app/"]);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#param-list a.folder")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#param-list a.folder")).ToHaveTextAsync(["▸ dev/", "▸ prod/"]);

        // A parameter is a button: Enter shows it. A key is a table row: Enter shows it too.
        await page.GotoAsync(fixture.Endpoint + "/console/#/parameters?path=%2Fapp%2Fdev%2Fdb%2F");
        await page.Locator("#param-list button.leaf").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#param-detail h2")).ToHaveTextAsync("/app/dev/db/host");
        await page.GotoAsync(fixture.Endpoint + "/console/#/keys");
        await page.Locator("#key-list tbody tr:has-text('alias/app')").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#key-detail")).ToContainTextAsync("Key policy");
        await page.Context.CloseAsync();
    }

    private static async Task CheckAsync(IPage page, string name, List<string> found)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.EvaluateAsync(Axe.Value);
        }

        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')})`)
            """);
        found.AddRange(violations.EnumerateArray().Select(v => $"{name}: {v.GetString()}"));
    }
}
