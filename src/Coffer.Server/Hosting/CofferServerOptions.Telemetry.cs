namespace Coffer.Server.Hosting;

/// <summary>How the server's logs are written.</summary>
public enum LogFormat
{
    /// <summary>One line of text per message, with its request id scope.</summary>
    Simple,

    /// <summary>One JSON object per message (timestamp, level, category, event id, message, state, scopes).</summary>
    Json,
}

public sealed partial record CofferServerOptions
{
    /// <summary>simple (a line of text per message) or json (an object per line, for log shippers).</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Simple;

    /// <summary>Serve /_coffer/metrics (Prometheus text) at all.</summary>
    public bool Metrics { get; init; } = true;

    /// <summary>Answer /_coffer/metrics unsigned to a scraper on loopback (not through a proxy). Off:
    /// every scrape must be SigV4-signed by a caller allowed <c>coffer:GetMetrics</c>.</summary>
    public bool MetricsFromLoopback { get; init; } = true;

    /// <summary>Where to send traces over OTLP (gRPC, e.g. http://127.0.0.1:4317; or HTTP when the
    /// URL ends in /v1/traces). Unset: tracing is off.</summary>
    public string? OtlpEndpoint { get; init; }
}
