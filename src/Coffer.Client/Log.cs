using Microsoft.Extensions.Logging;

namespace Coffer.Client;

/// <summary>The client's log messages; event ids 3100-3199. None carries a value.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Refreshing {Kind} {Id} failed ({ErrorCode}); serving the cached value, next try in {RetryIn}")]
    public static partial void ServingStale(ILogger logger, string kind, string id, string errorCode, TimeSpan retryIn);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "{Kind} {Id} changed: the cache will fetch it again")]
    public static partial void Invalidated(ILogger logger, string kind, string id);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Evicted {Kind} {Id}, the least recently used of {Size}")]
    public static partial void Evicted(ILogger logger, string kind, string id, int size);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Change stream connected to {Endpoint} (from {From})")]
    public static partial void StreamConnected(ILogger logger, Uri endpoint, string from);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Change stream dropped ({Reason}); falling back to TTLs and polling, reconnecting in {Delay}")]
    public static partial void StreamDropped(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Event {EventId} to resume after is gone; resuming from the start of the events kept")]
    public static partial void StreamResumeLost(ILogger logger, string eventId);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Information, Message = "Loaded {Count} parameters under {Path}")]
    public static partial void ConfigurationLoaded(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 3121, Level = LogLevel.Warning, Message = "Reloading parameters under {Path} failed ({ErrorCode}); keeping the values loaded before")]
    public static partial void ConfigurationReloadFailed(ILogger logger, string path, string errorCode);

    [LoggerMessage(EventId = 3130, Level = LogLevel.Debug, Message = "Decrypted environment variable {Variable} for function {Function}")]
    public static partial void EnvironmentDecrypted(ILogger logger, string variable, string function);
}
