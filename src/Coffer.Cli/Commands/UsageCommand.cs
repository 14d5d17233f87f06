using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coffer.Server.Console;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer usage --since 30d</c>: calls per service and operation over a period (Coffer's GetUsage,
/// counted from the audit trail; needs cloudtrail:LookupEvents), and what the same use would cost on
/// AWS at the published prices the console shows, with the resources that are billed per month.
/// </summary>
internal static class UsageCommand
{
    public static Command Create()
    {
        var since = new Option<string?>("--since") { Description = "How far back: a duration (12h, 7d, 30d) or an ISO 8601 time (default 30d)." };
        var url = CommonOptions.Url("--endpoint-url");
        var command = new Command("usage", "Calls per service and operation, and what the same use would cost on AWS.") { since, url };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            var now = DateTimeOffset.UtcNow;
            var start = AuditTrailCommands.Time(parse.GetValue(since) ?? "30d", now, "--since");
            using var client = new SignedClient(new Uri(parse.GetValue(url)!));
            // No EndTime: "until now" is the server's now, to the millisecond. Sent in whole seconds, it
            // would leave out the calls made in the current second.
            var body = new JsonObject { ["StartTime"] = start.ToUnixTimeSeconds() };
            using var usage = await client.JsonAsync("coffer", "Coffer.GetUsage", body.ToJsonString(), ct);
            var rows = Rows(usage.RootElement.GetProperty("Usage"));
            var days = (now - start).TotalDays;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Calls from {start:u} to {now:u} ({days:0.#} days)"));
            Print(rows);
            if (usage.RootElement.TryGetProperty("InternalUsage", out var own) && Rows(own) is { Count: > 0 } internalRows)
            {
                Console.WriteLine("\nCoffer's own work (rotation steps, expiries; AWS records these as service events and does not bill them):");
                Print(internalRows);
            }

            var prices = ConsolePrices.Load(out var asOf);
            var resources = await ResourcesAsync(client, ct);
            var total = 0m;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nThe same use on AWS (published prices, {asOf}, USD):"));
            foreach (var price in prices)
            {
                var calls = rows.Where(r => r.Source == price.EventSource).Sum(r => r.Count);
                var held = resources.GetValueOrDefault(price.EventSource);
                var (callCost, resourceCost) = price.Cost(calls, held, days);
                var counted = price.OnlyWith is null ? callCost : 0m;
                total += counted + resourceCost;
                var note = price.OnlyWith is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (${callCost:0.00} with {price.OnlyWith.Split(';')[0]})");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {price.Label,-16} {calls,10:N0} calls ${counted:0.00}{note}; {(held is null ? "not allowed to list" : $"{held} × {price.ResourceName}")} ${resourceCost:0.00}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Total            ${total:0.00}"));
            return 0;
        }));
        return command;
    }

    private static List<(string Source, string Name, long Count)> Rows(JsonElement list) =>
        [.. list.EnumerateArray()
            .Select(u => (Source: u.GetProperty("EventSource").GetString()!, Name: u.GetProperty("EventName").GetString()!, Count: u.GetProperty("Count").GetInt64()))
            .OrderByDescending(r => r.Count)];

    private static void Print(List<(string Source, string Name, long Count)> rows)
    {
        foreach (var (source, name, count) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {source.Replace(".amazonaws.com", "", StringComparison.Ordinal),-16} {name,-34} {count,10:N0}"));
        }
    }

    /// <summary>The resources AWS bills per month: customer managed keys, secrets, advanced parameters (null where listing is denied).</summary>
    private static async Task<Dictionary<string, long?>> ResourcesAsync(SignedClient client, CancellationToken ct)
    {
        async Task<long?> CountAsync(string service, string target, JsonObject input, string items, Func<JsonElement, bool>? keep = null)
        {
            try
            {
                long n = 0;
                for (var page = 0; page < 50; page++)
                {
                    using var doc = await client.JsonAsync(service, target, input.ToJsonString(), ct);
                    n += doc.RootElement.TryGetProperty(items, out var list) ? list.EnumerateArray().Count(e => keep?.Invoke(e) ?? true) : 0;
                    if (!doc.RootElement.TryGetProperty("NextToken", out var token) && !doc.RootElement.TryGetProperty("NextMarker", out token))
                    {
                        break;
                    }

                    input[target.StartsWith("Trent", StringComparison.Ordinal) ? "Marker" : "NextToken"] = token.GetString();
                }

                return n;
            }
            catch (CliException)
            {
                return null;
            }
        }

        var awsManaged = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var aliases = await client.JsonAsync("kms", "TrentService.ListAliases", "{\"Limit\":100}", ct);
            foreach (var a in aliases.RootElement.GetProperty("Aliases").EnumerateArray())
            {
                if (a.GetProperty("AliasName").GetString()!.StartsWith("alias/aws/", StringComparison.Ordinal) && a.TryGetProperty("TargetKeyId", out var target))
                {
                    awsManaged.Add(target.GetString()!);
                }
            }
        }
        catch (CliException)
        {
            // Without aliases every key counts as customer managed: an upper bound.
        }

        return new Dictionary<string, long?>
        {
            ["kms.amazonaws.com"] = await CountAsync("kms", "TrentService.ListKeys", new JsonObject { ["Limit"] = 1000 }, "Keys", k => !awsManaged.Contains(k.GetProperty("KeyId").GetString()!)),
            ["secretsmanager.amazonaws.com"] = await CountAsync("secretsmanager", "secretsmanager.ListSecrets", new JsonObject { ["MaxResults"] = 100 }, "SecretList"),
            ["ssm.amazonaws.com"] = await CountAsync("ssm", "AmazonSSM.DescribeParameters", new JsonObject { ["MaxResults"] = 50, ["ParameterFilters"] = new JsonArray(new JsonObject { ["Key"] = "Tier", ["Values"] = new JsonArray("Advanced") }) }, "Parameters"),
        };
    }
}
