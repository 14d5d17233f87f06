using System.Globalization;
using Coffer.Core;
using Coffer.Core.Identity;
using Coffer.Core.Parameters;
using Coffer.Core.Secrets;
using Coffer.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Coffer.Server.Tests.Console;

/// <summary>A dev server with 1,000 parameters and 1,000 secrets in each of two stages (issue 15),
/// seeded through the domain services in process, since what is tested is the console, not the writes.</summary>
public sealed class ConsoleScaleFixture : CofferFixture, IAsyncLifetime
{
    public const int PerStage = 1000;

    private ConsoleBrowser? _browser;

    public ConsoleBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var services = Server.Services;
        var root = new Principal(PrincipalType.Root, AccountId, $"arn:aws:iam::{AccountId}:root", AccountId, AccessKeyId);
        Call CallOf(string source, string operation) => new(root, Region, source, operation, RequestOrigin.Internal(Guid.NewGuid().ToString(), services.Time.GetUtcNow()));
        var items = from stage in new[] { "dev", "prod" } from i in Enumerable.Range(0, PerStage) select (stage, n: i.ToString("0000", CultureInfo.InvariantCulture));
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, ct) =>
        {
            await services.Parameters.PutParameterAsync(CallOf("ssm.amazonaws.com", "PutParameter"), new PutParameterInput { Name = $"/app/{item.stage}/item-{item.n}", Value = "v" + item.n, Type = "String" }, ct);
            await services.Secrets.CreateSecretAsync(CallOf("secretsmanager.amazonaws.com", "CreateSecret"), new CreateSecretInput { Name = $"{item.stage}/svc-{item.n}", Value = SecretValue.FromString("s" + item.n) }, ct);
        });

        _browser = await ConsoleBrowser.StartAsync();
    }

    public new async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

/// <summary>The console at 1,000 parameters and 1,000 secrets per stage: pages of 50, a tree that
/// lists a path's folders without reading what is in them, and a search that reads only its range.</summary>
public sealed class ConsoleScaleTests(ConsoleScaleFixture fixture) : IClassFixture<ConsoleScaleFixture>
{
    [Fact]
    public async Task At_a_thousand_per_stage_the_tree_shows_every_folder_at_once_pages_the_rest_and_searches_as_you_type()
    {
        var page = await fixture.Browser.OpenAsync(fixture.Endpoint + "/console/");
        await page.FillAsync("#key-id", CofferFixture.AccessKeyId);
        await page.FillAsync("#secret-key", CofferFixture.SecretAccessKey);
        await page.ClickAsync("#signin-key");
        await Expect(page.Locator("#param-list a.folder")).ToHaveTextAsync(["▸ app/"]);

        // /app/ holds two folders of a thousand parameters each: both are listed by the first answers,
        // which are one folder listing and one page of this level's own parameters.
        var targets = new List<string>();
        page.Request += (_, r) =>
        {
            if (r.Headers.TryGetValue("x-amz-target", out var target))
            {
                lock (targets)
                {
                    targets.Add(target);
                }
            }
        };
        await page.ClickAsync("#param-list a.folder:has-text('app/')");
        await Expect(page.Locator("#param-list a.folder")).ToHaveTextAsync(["▸ dev/", "▸ prod/"]);
        lock (targets)
        {
            Assert.Equal(["Coffer.ListParameterFolders", "AmazonSSM.DescribeParameters"], targets);
        }

        // A stage: 50 at a time.
        await page.ClickAsync("#param-list a.folder:has-text('prod/')");
        await Expect(page.Locator("#param-list button.leaf")).ToHaveCountAsync(50);
        await Expect(page.Locator("#param-list button.leaf").First).ToContainTextAsync("item-0000");
        await page.ClickAsync("#param-list button.more");
        await Expect(page.Locator("#param-list button.leaf")).ToHaveCountAsync(100);

        // Typing a prefix finds the names in its range, however far into the stage they are.
        await page.Locator("#param-search").PressSequentiallyAsync("item-09");
        await Expect(page.Locator("#param-list button.leaf").First).ToContainTextAsync("item-0900");
        await Expect(page.Locator("#param-list button.leaf")).ToHaveCountAsync(50);
        await page.ClickAsync("#param-list button.more");
        await Expect(page.Locator("#param-list button.leaf")).ToHaveCountAsync(100);
        await Expect(page.Locator("#param-list button.more")).ToHaveCountAsync(0);
        await page.FillAsync("#param-search", "item-0999");
        await Expect(page.Locator("#param-list button.leaf")).ToHaveTextAsync([new System.Text.RegularExpressions.Regex("^item-0999")]);

        // Secrets: a page of 50, and a prefix search.
        await page.GotoAsync(fixture.Endpoint + "/console/#/secrets");
        await Expect(page.Locator("#secret-list button.leaf")).ToHaveCountAsync(50);
        await page.Locator("#secret-search").PressSequentiallyAsync("prod/svc-09");
        await Expect(page.Locator("#secret-list button.leaf").First).ToContainTextAsync("prod/svc-0900");
        await Expect(page.Locator("#secret-list button.leaf")).ToHaveCountAsync(50);
        await Expect(page.Locator("#secret-list button.more")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
