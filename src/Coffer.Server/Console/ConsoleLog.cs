using Microsoft.Extensions.Logging;

namespace Coffer.Server.Console;

/// <summary>The console's log messages (event ids 1900-1999). None takes a password, a user name that failed, or a session's secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1900, Level = LogLevel.Information, Message = "Console sign-in: {Arn} from {RemoteIp}")]
    public static partial void SignedIn(ILogger logger, string arn, string? remoteIp);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning, Message = "Console sign-in failed from {RemoteIp}")]
    public static partial void SignInFailed(ILogger logger, string? remoteIp);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "Console sign-in throttled from {RemoteIp}")]
    public static partial void SignInThrottled(ILogger logger, string? remoteIp);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Information, Message = "Console sign-out: {Arn}")]
    public static partial void SignedOut(ILogger logger, string arn);
}
