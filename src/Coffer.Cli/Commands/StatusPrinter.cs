using System.Text.Json;

namespace Coffer.Cli.Commands;

/// <summary>Writes <c>coffer status</c>'s answer as aligned lines for people.</summary>
internal static class StatusPrinter
{
    public static void Print(JsonElement status, JsonElement ready)
    {
        Line("Sealed", Bool(status, "sealed") ? "yes: unseal with 'coffer unseal'" : "no");
        Line("Ready", ReadySummary(ready));
        Line("Version", Text(status, "version") + (Bool(status, "dev") ? " (dev mode)" : ""));
        Line("Node", Text(status, "node"));
        Line("Uptime", TimeSpan.FromSeconds(status.GetProperty("uptimeSeconds").GetInt64()).ToString());
        var store = status.GetProperty("store");
        Line("Store", $"{Text(store, "kind")} at {Text(store, "location")}: {Text(store, "detail")}");
        var audit = status.GetProperty("audit");
        var head = audit.TryGetProperty("headSequence", out var seq) ? $"head at record {seq.GetInt64()} ({Text(audit, "headHash")}...), anchor {Text(audit, "anchor")}" : $"anchor {Text(audit, "anchor")}";
        Line("Audit", (Bool(audit, "failing") ? "APPENDS FAILING (calls refused); " : "writable; ") + head);
        var scheduler = status.GetProperty("scheduler");
        Line("Scheduler", SchedulerSummary(scheduler));
        var events = status.GetProperty("events");
        var pending = events.GetProperty("pending").ToString() + (Bool(events, "pendingAtLeast") ? "+" : "");
        Line("Events", $"{pending} pending (oldest {events.GetProperty("oldestPendingAgeSeconds")} s), {events.GetProperty("deadLetters")} dead letters{(Bool(events, "delivery") ? "" : ", delivery off")}");
        var disk = status.GetProperty("disk");
        Line("Disk", (Bool(disk, "ok") ? "" : "LOW: ") + Text(disk, "detail"));
    }

    private static string SchedulerSummary(JsonElement scheduler)
    {
        var node = Text(scheduler, "node");
        var interval = Text(scheduler, "interval");
        if (interval == "off")
        {
            return $"off on {node}";
        }

        return scheduler.TryGetProperty("runsHere", out var here) ? here.ValueKind switch
        {
            JsonValueKind.True => $"runs on {node} every {interval}",
            JsonValueKind.False => $"another node holds the schedule lease; {node} stands by (asks every {interval})",
            _ => $"{node} asks for the schedule lease at its first round (every {interval})",
        } : $"runs on {node} every {interval}";
    }

    public static void PrintReadiness(JsonElement ready)
    {
        Line("Ready", ReadySummary(ready));
        if (ready.TryGetProperty("checks", out var checks))
        {
            foreach (var check in checks.EnumerateObject())
            {
                Line("  " + check.Name, (Bool(check.Value, "ok") ? "ok" : "FAILING") + ": " + Text(check.Value, "detail"));
            }
        }
    }

    private static string ReadySummary(JsonElement ready)
    {
        if (!ready.TryGetProperty("checks", out var checks))
        {
            return Text(ready, "status");
        }

        var failing = checks.EnumerateObject().Where(c => !Bool(c.Value, "ok")).Select(c => c.Name).ToList();
        return failing.Count == 0 ? "yes" : "NO: " + string.Join(", ", failing);
    }

    private static void Line(string name, string value) => Console.WriteLine($"{name + ":",-13}{value}");

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "?";

    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
