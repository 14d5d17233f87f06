using Microsoft.Extensions.Logging;

namespace Coffer.Agent;

/// <summary>The agent's log messages (event ids 3000 to 3099). None carries a value or a token.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "coffer agent listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Settings: {Settings}")]
    public static partial void Settings(ILogger logger, string settings);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "coffer agent stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Critical, Message = "coffer agent failed: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Refused a request to {Path}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Debug, Message = "{Kind} {Name}: fetched from Coffer ({Status})")]
    public static partial void Fetched(ILogger logger, RequestKind kind, string name, int status);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "{Kind} {Name}: Coffer unavailable ({Reason}); serving the cached answer, {Age} s old")]
    public static partial void ServedStale(ILogger logger, RequestKind kind, string name, string reason, long age);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Error, Message = "{Kind} {Name}: Coffer unavailable ({Reason}) and nothing cached within the stale bound")]
    public static partial void Unavailable(ILogger logger, RequestKind kind, string name, string reason);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Debug, Message = "Cache full: evicted {Kind} {Name}")]
    public static partial void Evicted(ILogger logger, RequestKind kind, string name);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Subscribed to Coffer's change events at {Endpoint}: changed values are refreshed as they change")]
    public static partial void Subscribed(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "Change-event stream down ({Reason}): falling back to the TTL until it is back; reconnecting in {Delay} ms")]
    public static partial void StreamDown(ILogger logger, string reason, long delay);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Debug, Message = "Change event {EventId}: {Count} cached answers invalidated")]
    public static partial void Invalidated(ILogger logger, string eventId, int count);

    [LoggerMessage(EventId = 3033, Level = LogLevel.Information, Message = "No Coffer endpoint configured (AWS_ENDPOINT_URL) or COFFER_AGENT_EVENTS=false: answers expire by TTL only")]
    public static partial void NoEvents(ILogger logger);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "Registered as Lambda extension {Name} ({Id})")]
    public static partial void Registered(ILogger logger, string name, string id);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Information, Message = "Lambda {EventType} event")]
    public static partial void LambdaEvent(ILogger logger, string eventType);

    [LoggerMessage(EventId = 3042, Level = LogLevel.Error, Message = "Lambda Extensions API failed: {Reason}")]
    public static partial void LambdaFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3050, Level = LogLevel.Error, Message = "Request to {Path} failed")]
    public static partial void RequestFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3051, Level = LogLevel.Warning, Message = "Change event {EventId}, to resume after, is gone from Coffer: every cached answer is fetched again on its next read")]
    public static partial void ResumeLost(ILogger logger, string eventId);

    [LoggerMessage(EventId = 3052, Level = LogLevel.Information, Message = "Environment variable {Name} decrypted for function {Function}; its plaintext is kept in memory")]
    public static partial void VariableDecrypted(ILogger logger, string name, string function);

    [LoggerMessage(EventId = 3053, Level = LogLevel.Warning, Message = "Environment variable {Name} not decrypted ({Reason}); the next request for it tries again")]
    public static partial void VariableNotDecrypted(ILogger logger, string name, string reason);
}
