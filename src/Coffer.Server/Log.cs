using Microsoft.Extensions.Logging;

namespace Coffer.Server;

/// <summary>Coffer's log messages, with stable event ids. None takes a request body or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Coffer {Version} listening on {Urls} (account {AccountId}, data: {Data})")]
    public static partial void Started(ILogger logger, string version, string urls, string accountId, string data);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Coffer is sealed: API calls are refused until it is unsealed ('coffer unseal' or COFFER_UNSEAL_PASSPHRASE)")]
    public static partial void Sealed(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Coffer unsealed")]
    public static partial void Unsealed(ILogger logger);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Unseal attempt with a wrong passphrase from {RemoteIp}")]
    public static partial void UnsealFailed(ILogger logger, string? remoteIp);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Dev mode reset: all state wiped")]
    public static partial void Reset(ILogger logger);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Unseal attempt from {RemoteIp} refused: an attempt is running and the queue is full")]
    public static partial void UnsealRefusedBusy(ILogger logger, string? remoteIp);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Error, Message = "Scheduled work failed")]
    public static partial void ScheduledWorkFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Scheduled work: {Count} actions")]
    public static partial void ScheduledWorkDone(ILogger logger, int count);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Audit log matches its anchor: head at record {Sequence}, keyed from record {KeyedFrom}")]
    public static partial void AuditAnchorMatched(ILogger logger, long? sequence, long keyedFrom);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Audit log written by an earlier version anchored for the first time; records before {KeyedFrom} keep unkeyed links")]
    public static partial void AuditFirstAnchored(ILogger logger, long keyedFrom);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Critical, Message = "Audit log does not match its anchor: {Detail}")]
    public static partial void AuditAnchorMismatch(ILogger logger, string detail);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Critical, Message = "Audit anchor mismatch accepted by the operator (--accept-audit-anchor-mismatch); re-anchored and recorded: {Detail}")]
    public static partial void AuditReanchored(ILogger logger, string detail);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "Could not write the audit anchor; the database is ahead of it until the next write succeeds")]
    public static partial void AuditAnchorWriteFailed(ILogger logger, Exception exception);
}
