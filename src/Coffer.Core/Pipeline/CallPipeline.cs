using System.Diagnostics;
using System.Text.Json.Nodes;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Core.Diagnostics;
using Coffer.Core.Identity;
using Microsoft.Extensions.Logging;

namespace Coffer.Core.Pipeline;

/// <summary>Who asks for what, from where: everything a call is before it runs.</summary>
public sealed record CallRequest(Principal Principal, string Region, string EventSource, string EventName, RequestOrigin Origin)
{
    /// <summary>The request's members as the audit record shows them (sensitive values removed).</summary>
    public JsonObject? RequestParameters { get; init; }
}

/// <summary>How a call ended: its value, or the error the caller is told.</summary>
public readonly record struct CallOutcome<T>(T? Value, CofferException? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The one way into the domain. Every entry point (the AWS protocol adapters, the rotators, and
/// whatever comes later) runs its calls here: the call is made, run (the domain service authorizes
/// it), and recorded in the audit log before anything is answered; errors come out normalised.
/// A <see cref="Call"/> can be had nowhere else (its constructor is internal to Core), so no
/// entry point can reach a domain service without passing the audit (issue 9).
/// </summary>
/// <remarks>Authentication stays with each wire format (SigV4 for the AWS adapters); it produces
/// the <see cref="CallRequest"/>'s principal. A change audits itself in its own transaction
/// (<see cref="AuditLog.WriteChangeAsync{T}"/>); this records every other outcome, fail-closed.</remarks>
public sealed partial class CallPipeline(AuditLog audit, ILogger<CallPipeline> logger)
{
    public const string RefusedMessage = "The request was refused because its audit record could not be written.";

    public const string InternalMessage = "The request failed because of an internal error; the server log has the details under this request id.";

    private volatile bool _auditFailing;

    /// <summary>Whether the last audit append failed (so calls are being refused); readiness reports it.</summary>
    public bool AuditFailing => _auditFailing;

    /// <summary>Runs one call and records its outcome; never throws for the call's own failures.</summary>
    public Task<CallOutcome<T>> RunAsync<T>(CallRequest request, Func<Call, CancellationToken, Task<T>> operation, CancellationToken ct) =>
        RunAsync(request, operation, static (call, operation, ct) => operation(call, ct), ct);

    /// <summary><see cref="RunAsync{T}(CallRequest, Func{Call, CancellationToken, Task{T}}, CancellationToken)"/> with
    /// what the operation needs passed to it, so that a hot read's operation can be a static lambda, not a closure (issue 11).</summary>
    public Task<CallOutcome<T>> RunAsync<TState, T>(CallRequest request, TState state, Func<Call, TState, CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        var call = new Call(request.Principal, request.Region, request.EventSource, request.EventName, request.Origin)
        {
            RequestParameters = request.RequestParameters,
        };
        return RunAsync(call, state, operation, ct);
    }

    /// <summary>Runs one call for an in-process caller: its value, or its error thrown once it is recorded.</summary>
    public async Task<T> RunOrThrowAsync<T>(CallRequest request, Func<Call, CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        var outcome = await RunAsync(request, operation, ct);
        return outcome.Succeeded ? outcome.Value! : throw outcome.Error!;
    }

    /// <summary>
    /// A call that another call makes for the same caller, recorded as its own event (the reads of
    /// BatchGetSecretValue are each a GetSecretValue in the trail, as in CloudTrail).
    /// </summary>
    public Task<CallOutcome<T>> RunNestedAsync<T>(Call parent, string eventName, JsonObject? requestParameters, Func<Call, CancellationToken, Task<T>> operation, CancellationToken ct) =>
        RunAsync(new CallRequest(parent.Principal, parent.Region, parent.EventSource, eventName, parent.Origin) { RequestParameters = requestParameters }, operation, ct);

    // One async method from the operation to its record, so that a read whose record waits for the
    // writer suspends one frame here rather than three (issue 11).
    private async Task<CallOutcome<T>> RunAsync<TState, T>(Call call, TState state, Func<Call, TState, CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        using var scope = logger.BeginScope(new RequestScope(call.Origin.RequestId));
        using var span = CofferTracing.Source.HasListeners() ? CofferTracing.Source.StartActivity(CofferMetrics.Service(call.EventSource) + " " + call.EventName) : null;
        span?.SetTag("coffer.request_id", call.Origin.RequestId);
        span?.SetTag("rpc.service", CofferMetrics.Service(call.EventSource));
        span?.SetTag("rpc.method", call.EventName);
        CallOutcome<T> outcome = default;
        T value = default!;
        CofferException? error = null;
        var record = true;
        try
        {
            value = await operation(call, state, ct);
        }
        catch (CofferException e)
        {
            error = e;
        }
        catch (SealedException e)
        {
            // Nothing can be recorded or answered without the root key.
            outcome = new CallOutcome<T>(default, new CofferException(ErrorCodes.ServiceUnavailable, e.Message));
            record = false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogInternalError(e, call.Origin.RequestId, call.EventSource, call.EventName);
            error = new CofferException(ErrorCodes.InternalFailure, InternalMessage);
        }

        if (record)
        {
            // Recorded outside the try, so a failure to record is not taken for the operation's;
            // and here rather than in a method of its own, one frame fewer waiting for the writer.
            outcome = new CallOutcome<T>(error is null ? value : default, error);
            if (!call.Audited)
            {
                // Appends the call's record (a change recorded itself in its own transaction); if it cannot, the call is refused.
                using var appendSpan = CofferTracing.Start("audit append");
                var appendStart = CofferMetrics.AuditAppendStarted();
                try
                {
                    await audit.CompleteAsync(call, error?.Code, error?.Message, CancellationToken.None);
                    CofferMetrics.AuditAppendEnded(appendStart, failed: false);
                    _auditFailing = false;
                }
                catch (Exception e)
                {
                    CofferMetrics.AuditAppendEnded(appendStart, failed: true);
                    appendSpan?.SetStatus(ActivityStatusCode.Error);
                    _auditFailing = true;
                    LogAuditFailed(e, call.Origin.RequestId, call.EventSource, call.EventName);
                    outcome = new CallOutcome<T>(default, new CofferException(ErrorCodes.InternalFailure, RefusedMessage));
                }
            }
        }

        var code = outcome.Error?.Code;
        CofferMetrics.CallEnded(call.EventSource, call.EventName, code, start);
        var outcomeName = CofferMetrics.Outcome(code);
        LogCallEnded(call.EventSource, call.EventName, outcomeName, code ?? "-");
        span?.SetTag("coffer.outcome", outcomeName);
        if (code is not null)
        {
            span?.SetTag("error.type", code);
            span?.SetStatus(ActivityStatusCode.Error);
        }

        return outcome;
    }

    [LoggerMessage(EventId = CoreEventIds.InternalError, Level = LogLevel.Error, Message = "Request {RequestId} ({EventSource} {EventName}) failed with an internal error")]
    private partial void LogInternalError(Exception exception, string requestId, string eventSource, string eventName);

    [LoggerMessage(EventId = CoreEventIds.CallEnded, Level = LogLevel.Debug, Message = "{EventSource} {EventName} ended: {Outcome} ({ErrorCode})")]
    private partial void LogCallEnded(string eventSource, string eventName, string outcome, string errorCode);

    [LoggerMessage(EventId = CoreEventIds.AuditFailed, Level = LogLevel.Error, Message = "Request {RequestId} ({EventSource} {EventName}) refused: its audit record could not be written")]
    private partial void LogAuditFailed(Exception exception, string requestId, string eventSource, string eventName);
}
