using Coffer.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Coffer.Server.Telemetry;

/// <summary>
/// The console logs: a line of text, or a JSON object per line for log shippers. Both carry the
/// scopes, so every message written during a call shows its <c>RequestId</c>: the audit record's
/// request id and the client's <c>x-amzn-RequestId</c>.
/// </summary>
internal static class ServerLogging
{
    public static void AddConsole(ILoggingBuilder logging, LogFormat format)
    {
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
            });
        }

        // ASP.NET Core's hosting opens a scope of its own named RequestId (its connection-based trace
        // identifier); Coffer's is the one that matches the audit record, so only Coffer's is kept.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
    }
}
