using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer audit query</c> and <c>coffer audit tail</c>: the audit trail for people, read through
/// CloudTrail's LookupEvents like any client (signed, authorized by <c>cloudtrail:LookupEvents</c>).
/// LookupEvents takes one lookup attribute; the first one given goes to the server (answered from its
/// indexes), the others filter what comes back.
/// </summary>
internal static class AuditTrailCommands
{
    private const string Target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";

    public static Command Query()
    {
        var url = CommonOptions.Url();
        var resource = new Option<string?>("--resource") { Description = "A resource name or ARN (a parameter name, a secret name, a key id or alias)." };
        var user = new Option<string?>("--user") { Description = "A user name, or an assumed-role session name." };
        var eventName = new Option<string?>("--event") { Description = "An operation, e.g. GetSecretValue." };
        var accessKey = new Option<string?>("--access-key") { Description = "An access key id." };
        var source = new Option<string?>("--source") { Description = "An event source, e.g. secretsmanager.amazonaws.com." };
        var readOnly = new Option<bool?>("--read-only") { Description = "true: reads only; false: changes only." };
        var denied = new Option<bool>("--denied") { Description = "Only calls that were refused (any error code)." };
        var since = new Option<string?>("--since") { Description = "How far back: a duration (30m, 12h, 7d) or an ISO 8601 time (default 7d)." };
        var until = new Option<string?>("--until") { Description = "Up to: a duration ago or an ISO 8601 time (default now)." };
        var max = new Option<int>("--max") { Description = "At most this many events (default 100).", DefaultValueFactory = _ => 100 };
        var output = Output();
        var command = new Command("query", "Search the audit trail: who read /app/prod/db/password this week (--resource /app/prod/db/password --read-only true), every denial for a key (--access-key AKIA... --denied).")
        {
            url, resource, user, eventName, accessKey, source, readOnly, denied, since, until, max, output,
        };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            var attributes = new List<(string Key, string Value)>();
            Add(attributes, "ResourceName", parse.GetValue(resource));
            Add(attributes, "Username", parse.GetValue(user));
            Add(attributes, "EventName", parse.GetValue(eventName));
            Add(attributes, "AccessKeyId", parse.GetValue(accessKey));
            Add(attributes, "EventSource", parse.GetValue(source));
            if (parse.GetValue(readOnly) is { } ro)
            {
                attributes.Add(("ReadOnly", ro ? "true" : "false"));
            }

            var now = DateTimeOffset.UtcNow;
            var start = Time(parse.GetValue(since) ?? "7d", now, "--since");
            var end = parse.GetValue(until) is { } u ? Time(u, now, "--until") : now;
            using var client = new SignedClient(new Uri(parse.GetValue(url)!));
            var events = new List<JsonObject>();
            string? token = null;
            do
            {
                var page = await LookupAsync(client, attributes.Take(1), start, end, token, ct);
                if (token is null && page.ArchivedUntil is { } archived && archived >= start)
                {
                    // Say what was not searched rather than answer as if the range were complete.
                    Console.Error.WriteLine($"Note: records up to {archived:u} are in the audit archive and were not searched; 'coffer audit export --from {start:yyyy-MM-dd}' on the server's data directory writes them out.");
                }

                foreach (var e in page.Events)
                {
                    if (events.Count < parse.GetValue(max) && Matches(e, attributes.Skip(1), parse.GetValue(denied)))
                    {
                        events.Add(e);
                    }
                }

                token = page.NextToken;
            }
            while (token is not null && events.Count < parse.GetValue(max));

            Print(events, parse.GetValue(output)!);
            return 0;
        }));
        return command;
    }

    public static Command Tail()
    {
        var url = CommonOptions.Url();
        var lines = new Option<int>("-n") { Description = "How many of the latest events to show first (default 20).", DefaultValueFactory = _ => 20 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they are recorded (polls every two seconds; Ctrl-C stops)." };
        var output = Output();
        var command = new Command("tail", "The latest audit events, oldest first; with --follow, new ones as they come.") { url, lines, follow, output };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(async () =>
        {
            using var client = new SignedClient(new Uri(parse.GetValue(url)!));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var latest = (await LookupAsync(client, [], DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow, null, ct, parse.GetValue(lines))).Events;
            latest.Reverse();
            Emit(latest, seen, parse.GetValue(output)!, header: true);
            var since = DateTimeOffset.UtcNow.AddMinutes(-1);
            while (parse.GetValue(follow) && !ct.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var fresh = (await LookupAsync(client, [], since, DateTimeOffset.UtcNow.AddMinutes(1), null, ct, 50)).Events;
                fresh.Reverse();
                Emit(fresh, seen, parse.GetValue(output)!, header: false);
                since = DateTimeOffset.UtcNow.AddMinutes(-1);
            }

            return 0;
        }));
        return command;
    }

    private static Option<string> Output()
    {
        var output = new Option<string>("--output") { Description = "table (default) or json (one CloudTrail record a line).", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        return output;
    }

    private static void Add(List<(string, string)> attributes, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            attributes.Add((key, value));
        }
    }

    private static async Task<(List<JsonObject> Events, string? NextToken, DateTimeOffset? ArchivedUntil)> LookupAsync(SignedClient client, IEnumerable<(string Key, string Value)> attributes, DateTimeOffset start, DateTimeOffset end, string? token, CancellationToken ct, int pageSize = 50)
    {
        var request = new JsonObject
        {
            ["StartTime"] = start.ToUnixTimeSeconds(),
            // Whole seconds on the wire: round the end up, so a call made in this second is included.
            ["EndTime"] = (end.ToUnixTimeMilliseconds() + 999) / 1000,
            ["MaxResults"] = Math.Clamp(pageSize, 1, 50),
        };
        var lookup = new JsonArray();
        foreach (var (key, value) in attributes)
        {
            lookup.Add(new JsonObject { ["AttributeKey"] = key, ["AttributeValue"] = value });
        }

        if (lookup.Count > 0)
        {
            request["LookupAttributes"] = lookup;
        }

        if (token is not null)
        {
            request["NextToken"] = token;
        }

        using var doc = await client.JsonAsync("cloudtrail", Target, request.ToJsonString(), ct);
        var events = new List<JsonObject>();
        if (doc.RootElement.TryGetProperty("Events", out var list))
        {
            foreach (var e in list.EnumerateArray())
            {
                if (e.TryGetProperty("CloudTrailEvent", out var record) && JsonNode.Parse(record.GetString() ?? "{}") is JsonObject parsed)
                {
                    events.Add(parsed);
                }
            }
        }

        var archivedUntil = doc.RootElement.TryGetProperty("CofferArchivedUntil", out var until) && until.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(until.GetDouble() * 1000))
            : (DateTimeOffset?)null;
        return (events, doc.RootElement.TryGetProperty("NextToken", out var next) ? next.GetString() : null, archivedUntil);
    }

    /// <summary>The attributes the server was not asked for, checked on the record itself.</summary>
    private static bool Matches(JsonObject e, IEnumerable<(string Key, string Value)> attributes, bool deniedOnly)
    {
        if (deniedOnly && e["errorCode"] is null)
        {
            return false;
        }

        foreach (var (key, value) in attributes)
        {
            var ok = key switch
            {
                "Username" => Str(e["userIdentity"]?["userName"]) == value || Str(e["userIdentity"]?["arn"])?.EndsWith("/" + value, StringComparison.Ordinal) == true,
                "EventName" => Str(e["eventName"]) == value,
                "AccessKeyId" => Str(e["userIdentity"]?["accessKeyId"]) == value,
                "EventSource" => Str(e["eventSource"]) == value,
                "ReadOnly" => string.Equals(e["readOnly"]?.ToJsonString(), value, StringComparison.OrdinalIgnoreCase),
                "ResourceName" => e["resources"] is JsonArray r && r.Any(x => Str(x?["ARN"])?.Contains(value, StringComparison.Ordinal) == true),
                _ => true,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Prints the events not printed before (the polls overlap, so each is told by its event id).</summary>
    private static void Emit(List<JsonObject> events, HashSet<string> seen, string output, bool header) =>
        Print([.. events.Where(e => seen.Add(Str(e["eventID"]) ?? Guid.NewGuid().ToString()))], output, header);

    private static void Print(List<JsonObject> events, string output, bool header = true)
    {
        if (output == "json")
        {
            foreach (var e in events)
            {
                Console.WriteLine(e.ToJsonString());
            }

            return;
        }

        if (header)
        {
            Console.WriteLine($"{"TIME (UTC)",-20} {"WHO",-40} {"EVENT",-24} {"OUTCOME",-22} RESOURCE");
        }

        foreach (var e in events)
        {
            var time = DateTimeOffset.TryParse(Str(e["eventTime"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";
            var who = Str(e["userIdentity"]?["arn"]) ?? Str(e["userIdentity"]?["type"]) ?? "";
            var outcome = Str(e["errorCode"]) ?? "ok";
            var resource = e["resources"] is JsonArray r && r.Count > 0 ? Str(r[0]?["ARN"]) : "";
            Console.WriteLine($"{time,-20} {Short(who, 40),-40} {Short(Str(e["eventName"]) ?? "", 24),-24} {Short(outcome, 22),-22} {resource}");
        }
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Short(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    /// <summary>A duration ago (30m, 12h, 7d) or an ISO 8601 time.</summary>
    internal static DateTimeOffset Time(string text, DateTimeOffset now, string option)
    {
        if (text.Length > 1 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            switch (text[^1])
            {
                case 'm':
                    return now.AddMinutes(-n);
                case 'h':
                    return now.AddHours(-n);
                case 'd':
                    return now.AddDays(-n);
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new CliException($"{option} takes a duration (30m, 12h, 7d) or an ISO 8601 time, not '{text}'.");
    }
}
