using System.Text.Json;
using Coffer.Core.Audit;
using Coffer.Server.Telemetry;
using Coffer.Storage.Postgres;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

public sealed partial class AdminEndpoints
{
    /// <summary>The path <c>coffer status</c> reads; authorized as <c>coffer:GetStatus</c> (or on loopback).</summary>
    public const string StatusPath = "/_coffer/status";

    /// <summary>
    /// Everything an operator looks at first, in one answer: seal state, version, store, audit head,
    /// scheduler node, pending events and disk. Counts and states only: no resource names.
    /// </summary>
    private async Task StatusAsync(HttpContext context)
    {
        if (!await AuthorizeOperatorAsync(context, "coffer:GetStatus"))
        {
            return;
        }

        var sealedNow = services.Keyring.IsSealed;
        var store = await StoreCheckAsync(context.RequestAborted);
        var disk = DiskCheck();
        var postgres = StoreFactory.IsPostgres(options.Store);

        // Alone on its store a node runs scheduled work itself; on a shared PostgreSQL only the
        // schedule lease's holder does (issue 10), which the scheduler learns at each round.
        var runsHere = options.ScheduleInterval == Timeout.InfiniteTimeSpan ? false : postgres ? schedulerRunsHere?.Invoke() : true;
        var ct = context.RequestAborted;
        var pending = await TryReadAsync(async () => await ServerGauges.PendingEventsAsync(services, ct));
        var oldestPendingAge = await TryReadAsync(async () => (long)await ServerGauges.OldestPendingAgeAsync(services, ct));
        var deadLetters = await TryReadAsync(async () => await ServerGauges.DeadLettersAsync(services, ct));
        await WriteAsync(context, 200, w =>
        {
            w.WriteString("status", sealedNow ? "sealed" : "ok");
            w.WriteBoolean("sealed", sealedNow);
            w.WriteBoolean("dev", options.Dev);
            w.WriteString("version", CofferServer.Version);
            w.WriteString("node", NodeName);
            w.WriteNumber("uptimeSeconds", (long)(services.Time.GetUtcNow() - _startedAt).TotalSeconds);
            w.WriteStartObject("store");
            w.WriteString("kind", postgres ? "postgres" : options.Dev ? "sqlite (in memory)" : "sqlite");
            w.WriteString("location", postgres ? PostgresLocation.Redact(options.Store!) : options.Dev ? "memory" : Path.GetFullPath(options.DataDir));
            w.WriteBoolean("ok", store.Item2);
            w.WriteString("detail", store.Item3);
            w.WriteEndObject();
            WriteAudit(w, sealedNow);
            w.WriteStartObject("scheduler");
            w.WriteString("node", NodeName);
            w.WriteString("interval", options.ScheduleInterval == Timeout.InfiniteTimeSpan ? "off" : options.ScheduleInterval.ToString());
            if (runsHere is { } here)
            {
                w.WriteBoolean("runsHere", here);
            }
            else
            {
                w.WriteNull("runsHere");
            }

            w.WriteEndObject();
            w.WriteStartObject("events");
            w.WriteBoolean("delivery", options.EventDelivery.Enabled);
            TryWrite(w, "pending", pending, capped: ServerGauges.PendingCap);
            TryWrite(w, "oldestPendingAgeSeconds", oldestPendingAge);
            TryWrite(w, "deadLetters", deadLetters);
            w.WriteEndObject();
            w.WriteStartObject("disk");
            w.WriteBoolean("ok", disk.Item2);
            w.WriteString("detail", disk.Item3);
            w.WriteEndObject();
        });
    }

    /// <summary>This process on this host: the node that runs scheduled work (the only one, with SQLite).</summary>
    private static string NodeName { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    private void WriteAudit(Utf8JsonWriter w, bool sealedNow)
    {
        w.WriteStartObject("audit");
        w.WriteBoolean("failing", services.Pipeline.AuditFailing);
        if (options.Dev)
        {
            w.WriteString("anchor", "none (dev mode keeps the log in memory)");
        }
        else if (sealedNow || !services.AuditChain.IsOpen)
        {
            w.WriteString("anchor", "unknown while sealed");
        }
        else
        {
            var (status, anchor) = AuditAnchorFile.Read(options.DataDir, services.AuditChain.Keys);
            w.WriteString("anchor", status.ToString().ToLowerInvariant());
            if (anchor is not null)
            {
                w.WriteNumber("headSequence", anchor.Sequence);
                w.WriteString("headHash", Convert.ToHexStringLower(anchor.Head)[..16]);
            }
        }

        w.WriteEndObject();
    }

    /// <summary>A count read before the answer is written, or why it could not be read.</summary>
    private static async Task<(long Value, Exception? Error)> TryReadAsync(Func<Task<long>> read)
    {
        try
        {
            return (await read(), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (0, e);
        }
    }

    private static void TryWrite(Utf8JsonWriter w, string name, (long Value, Exception? Error) read, long? capped = null)
    {
        if (read.Error is { } e)
        {
            w.WriteString(name, "unreadable: " + e.GetType().Name);
            return;
        }

        w.WriteNumber(name, read.Value);
        if (capped is { } cap && read.Value >= cap)
        {
            w.WriteBoolean(name + "AtLeast", true);
        }
    }
}
