using Coffer.Core.Access;

namespace Coffer.Core.Events;

public sealed partial class RuleService
{
    private const int StreamScanBatch = 1000;

    /// <summary>
    /// Opens the live stream for the caller's account (<c>coffer:StreamEvents</c>): the outbox
    /// sequence to continue after, found from the last event id the caller saw (none: from the start).
    /// </summary>
    public async Task<long> OpenStreamAsync(Call call, string? afterEventId, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("coffer:StreamEvents", "*"), cancellationToken: ct);
        if (string.IsNullOrEmpty(afterEventId))
        {
            return 0;
        }

        // A scan of the outbox: resuming is rare, and the outbox is read in order anyway.
        for (long after = 0; ;)
        {
            var from = after;
            var batch = await store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(from, StreamScanBatch, ct), ct);
            if (batch.FirstOrDefault(e => e.Event.Id == afterEventId) is { } found)
            {
                return found.Sequence;
            }

            if (batch.Count < StreamScanBatch)
            {
                throw EventErrors.Validation($"No event with id {afterEventId} to resume after.");
            }

            after = batch[^1].Sequence;
        }
    }

    /// <summary>
    /// Opens the live stream from now (<c>coffer:StreamEvents</c>): the outbox sequence to continue
    /// after, and the id of the account's last event at or before it, which a caller resumes after
    /// to miss nothing that came since. None when the account has no event yet: then resuming from
    /// the start misses nothing either.
    /// </summary>
    public async Task<(long Sequence, string? Position)> OpenStreamFromNowAsync(Call call, CancellationToken ct)
    {
        await authorizer.AuthorizeAsync(call, new AccessRequest("coffer:StreamEvents", "*"), cancellationToken: ct);
        long sequence = 0;
        for (var before = long.MaxValue; ;)
        {
            var from = before;
            var batch = await store.ReadAsync((s, ct) => s.Events.ReadBeforeAsync(from, StreamScanBatch, ct), ct);
            if (batch.Count == 0)
            {
                return (sequence, null);
            }

            sequence = sequence == 0 ? batch[0].Sequence : sequence;
            if (batch.FirstOrDefault(e => e.Event.Account == call.AccountId) is { } own)
            {
                return (sequence, own.Event.Id);
            }

            before = batch[^1].Sequence;
        }
    }

    /// <summary>The account's events after <paramref name="sequence"/>, in order, and the sequence to continue after.</summary>
    public async Task<(IReadOnlyList<CofferEvent> Events, long Next)> ReadStreamAsync(string accountId, long sequence, int limit, CancellationToken ct)
    {
        var batch = await store.ReadAsync((s, ct) => s.Events.ReadAfterAsync(sequence, limit, ct), ct);
        return ([.. batch.Where(e => e.Event.Account == accountId).Select(e => e.Event)], batch.Count > 0 ? batch[^1].Sequence : sequence);
    }
}
