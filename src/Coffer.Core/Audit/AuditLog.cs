using Coffer.Core.Events;
using Coffer.Core.Identity;
using Coffer.Core.Storage;

namespace Coffer.Core.Audit;

/// <summary>
/// Turns calls into audit records. A change records itself in its own transaction
/// (<see cref="WriteChangeAsync{T}"/>); everything else (reads, refusals, failures) is recorded
/// by the entry point once the outcome is known, before the caller gets an answer. If the record
/// cannot be written, the call fails: audit is fail-closed.
/// </summary>
public sealed class AuditLog(ICofferStore store)
{
    public static AuditRecord Build(Call call, string? errorCode, string? errorMessage) => new()
    {
        UserIdentity = Identity(call.Principal),
        EventTime = call.Origin.Time,
        EventSource = call.EventSource,
        EventName = call.EventName,
        AwsRegion = call.Region,
        SourceIpAddress = call.Origin.SourceIp,
        UserAgent = call.Origin.UserAgent,
        ErrorCode = errorCode,
        ErrorMessage = errorMessage,
        RequestParameters = call.RequestParameters,
        RequestId = call.Origin.RequestId,
        // Time-ordered (a version 7 UUID): each record's id lands at the end of the event id index
        // rather than at a random place in it, which grew dearer with the log (issue 11).
        EventId = Guid.CreateVersion7(call.Origin.Time).ToString(),
        ReadOnly = !call.Mutates,
        Resources = [.. call.Resources],
        RecipientAccountId = call.AccountId,
        EventType = call.Principal.Type == PrincipalType.Service ? "AwsServiceEvent" : "AwsApiCall",
    };

    /// <summary>Runs a change, a unit of work that awaits only its session, and appends the call's
    /// success record and its change event in the same transaction.</summary>
    public async Task<T> WriteChangeAsync<T>(Call call, Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        call.Mutates = true;
        var result = await store.WriteAsync(
            async (s, ct) =>
            {
                var value = await work(s, ct);

                // Built after the work, which adds the resources it touched to the call.
                var record = Build(call, null, null);
                await s.Audit.AppendAsync(AuditEntry.From(record), ct);
                await s.Events.AppendAsync(ChangeEvents.ApiCall(call, record), ct);
                foreach (var e in await ChangeEvents.ServiceEventsOfAsync(call, s, ct))
                {
                    await s.Events.AppendAsync(e, ct);
                }

                return value;
            },
            cancellationToken);
        call.MarkAudited();
        return result;
    }

    /// <summary>Records a call's outcome unless it already recorded itself.</summary>
    public async Task CompleteAsync(Call call, string? errorCode, string? errorMessage, CancellationToken cancellationToken)
    {
        if (call.Audited)
        {
            return;
        }

        var entry = AuditEntry.From(Build(call, errorCode, errorMessage));
        if (call.Mutates && errorCode is null)
        {
            await store.WriteAsync(
                async (s, ct) =>
                {
                    await s.Audit.AppendAsync(entry, ct);
                    return true;
                },
                cancellationToken);
        }
        else
        {
            // Nothing changed: the record must be committed before the answer, and survive a
            // crash of the process, but need not wait for its own fsync (issue 9).
            await store.AppendRecordAsync(entry, cancellationToken);
        }

        call.MarkAudited();
    }

    private static AuditIdentity Identity(Principal p) => p.Type switch
    {
        PrincipalType.Root => new AuditIdentity("Root", p.PrincipalId, p.Arn, p.AccountId, p.AccessKeyId, null),
        PrincipalType.Service => new AuditIdentity("AWSService", p.PrincipalId, p.Arn, p.AccountId, null, null),
        PrincipalType.IamUser => new AuditIdentity("IAMUser", p.PrincipalId, p.Arn, p.AccountId, p.AccessKeyId, p.Name),
        _ => new AuditIdentity("AssumedRole", p.PrincipalId, p.Arn, p.AccountId, p.AccessKeyId, null),
    };
}
