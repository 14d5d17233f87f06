using System.Diagnostics;

namespace Coffer.Core.Diagnostics;

/// <summary>
/// Coffer's spans (activity source <c>Coffer</c>): one per call through the pipeline, with children
/// for authentication, authorization, store access and the audit append. Nothing listens unless
/// tracing is configured, and then a span costs an allocation; unheard, <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null. Tags carry the request id, service, operation and outcome: never a resource name or a value.
/// </summary>
public static class CofferTracing
{
    public const string SourceName = "Coffer";

    public static ActivitySource Source { get; } = new(SourceName, typeof(CofferTracing).Assembly.GetName().Version?.ToString(3));

    /// <summary>
    /// Starts a child of the current span; nothing when there is none (or no one listens), so the
    /// dispatcher's polling and a metrics scrape's store reads do not each make a trace of their own.
    /// </summary>
    public static Activity? Start(string name) => Activity.Current is null ? null : Source.StartActivity(name, ActivityKind.Internal);
}
