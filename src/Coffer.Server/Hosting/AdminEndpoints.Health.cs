using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

public sealed partial class AdminEndpoints
{
    /// <summary>
    /// Readiness as load balancers and Kubernetes probes read it: 200 when this node can answer
    /// calls, 503 with the failing checks when it cannot (sealed, store unreachable, audit appends
    /// failing, or the data directory's disk below the threshold: with fail-closed audit a full
    /// disk refuses every call, so the node says so before it happens).
    /// </summary>
    private async Task ReadyAsync(HttpContext context)
    {
        var checks = new List<(string Name, bool Ok, string Detail)>
        {
            ("unsealed", !services.Keyring.IsSealed, services.Keyring.IsSealed ? "sealed: unseal with 'coffer unseal'" : "ok"),
            await StoreCheckAsync(context.RequestAborted),
            ("audit", !services.Pipeline.AuditFailing, services.Pipeline.AuditFailing ? "the last audit append failed: calls are refused" : "ok"),
            DiskCheck(),
        };
        var ready = checks.TrueForAll(c => c.Ok);
        await WriteAsync(context, ready ? 200 : 503, w =>
        {
            w.WriteString("status", ready ? "ready" : "not ready");
            w.WriteStartObject("checks");
            foreach (var (name, ok, detail) in checks)
            {
                w.WriteStartObject(name);
                w.WriteBoolean("ok", ok);
                w.WriteString("detail", detail);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    private async Task<(string, bool, string)> StoreCheckAsync(CancellationToken ct)
    {
        try
        {
            await services.Store.ReadAsync((s, ct) => s.Meta.GetAsync("account_id", ct), ct);
            return ("store", true, "ok");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ("store", false, "the store cannot be read: " + e.GetType().Name);
        }
    }

    private (string, bool, string) DiskCheck()
    {
        if (options.Dev)
        {
            return ("disk", true, "dev mode keeps everything in memory");
        }

        var free = new DriveInfo(Path.GetFullPath(options.DataDir)).AvailableFreeSpace;
        return free >= options.MinFreeDiskBytes
            ? ("disk", true, $"{free / (1024 * 1024)} MiB free")
            : ("disk", false, $"{free / (1024 * 1024)} MiB free, below the {options.MinFreeDiskBytes / (1024 * 1024)} MiB threshold (min-free-disk-bytes)");
    }
}
