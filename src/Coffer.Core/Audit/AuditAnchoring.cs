using System.Globalization;
using System.Text.Json.Nodes;
using Coffer.Core.Identity;
using Coffer.Core.Storage;

namespace Coffer.Core.Audit;

/// <summary>How opening the audit chain went.</summary>
public enum AnchorOutcome
{
    /// <summary>The log reaches its anchor and everything after it verifies.</summary>
    Matched,

    /// <summary>A log written by an earlier, unkeyed version was anchored for the first time.</summary>
    FirstAnchored,

    /// <summary>The log did not match its anchor and the operator accepted it as it is.</summary>
    Reanchored,
}

/// <summary>The audit log does not match its anchor; the server refuses to run on it.</summary>
public sealed class AuditAnchorException(AuditVerification finding)
    : Exception(finding.Message + " Someone may have edited coffer.db or audit.anchor. 'coffer audit verify' shows what it finds; to accept the log as it is, start with --accept-audit-anchor-mismatch (this re-anchors and records that you did).")
{
    public AuditVerification Finding { get; } = finding;
}

/// <summary>
/// Opens the keyed chain when the server unseals: checks the database against its anchor (only
/// what was appended since the anchor, so start-up stays quick; <c>coffer audit verify</c> checks
/// everything), and refuses a log that is behind the anchor, diverges from it, or lost it.
/// </summary>
public static class AuditAnchoring
{
    /// <summary>Coffer-wide records are in us-east-1, as AWS records its global services' events.</summary>
    private const string Region = "us-east-1";

    public static async Task<(AnchorOutcome Outcome, AuditVerification? Finding)> OpenAsync(
        ICofferStore store, AuditChainKeeper keeper, AuditKeys keys, bool acceptMismatch, string accountId, DateTimeOffset now, CancellationToken ct = default)
    {
        var (keyedFrom, unanchored) = await store.ReadAsync(
            async (s, ct) => (
                long.Parse(await s.Meta.GetAsync(AuditChainKeeper.KeyedFromKey, ct) ?? "1", CultureInfo.InvariantCulture),
                await s.Meta.GetAsync(AuditChainKeeper.UnanchoredKey, ct) is not null),
            ct);
        keeper.Open(keys, keyedFrom);
        if (keeper.AnchorDirectory is not { } dir)
        {
            return (AnchorOutcome.Matched, null);
        }

        var (status, anchor) = AuditAnchorFile.Read(dir, keys);
        AuditVerification finding;
        switch (status)
        {
            case AnchorStatus.Valid when anchor!.KeyedFrom != keyedFrom:
                finding = new AuditVerification(AuditFinding.KeyedFromMismatch, null, 0, keyedFrom, anchor);
                break;
            case AnchorStatus.Valid:
                finding = await AuditChain.VerifyAsync(ReadFromAsync(store, anchor.Sequence, ct), keys, keyedFrom, anchor, startAt: anchor.Sequence, ct);
                if (finding.IsIntact)
                {
                    if (finding.Sequence > anchor.Sequence)
                    {
                        // The last batch before a crash: bring the anchor up to the verified head.
                        var after = finding.Sequence!.Value - 1;
                        var head = (await store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(after, 1, ct), ct))[0];
                        keeper.Committed(head.Sequence, head.Hash);
                    }

                    return (AnchorOutcome.Matched, finding);
                }

                break;
            case AnchorStatus.Missing when unanchored && (await store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(keyedFrom - 1, 1, ct), ct)).Count == 0:
                await RecordAsync(store, accountId, now, "firstAnchorOfUnkeyedLog", null, keyedFrom, ct);
                return (AnchorOutcome.FirstAnchored, null);
            case AnchorStatus.Missing:
                finding = new AuditVerification(AuditFinding.AnchorMissing, null, 0, keyedFrom, null);
                break;
            default:
                finding = new AuditVerification(AuditFinding.AnchorInvalid, null, 0, keyedFrom, null);
                break;
        }

        if (!acceptMismatch)
        {
            keeper.Close();
            throw new AuditAnchorException(finding);
        }

        // Appending moves the anchor to the new head, so the log is anchored as it now is.
        await RecordAsync(store, accountId, now, "operatorAcceptedAnchorMismatch", finding, keyedFrom, ct);
        return (AnchorOutcome.Reanchored, finding);
    }

    /// <summary>Records from <paramref name="sequence"/> on, a page at a time.</summary>
    public static async IAsyncEnumerable<StoredAuditRecord> ReadFromAsync(ICofferStore store, long sequence, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const int page = 10_000;
        var after = Math.Max(sequence, 1) - 1;
        while (true)
        {
            var from = after;
            var records = await store.ReadAsync((s, ct) => s.Audit.ReadAfterAsync(from, page, ct), cancellationToken);
            foreach (var record in records)
            {
                yield return record;
                after = record.Sequence;
            }

            if (records.Count < page)
            {
                yield break;
            }
        }
    }

    private static async Task RecordAsync(ICofferStore store, string accountId, DateTimeOffset now, string reason, AuditVerification? finding, long keyedFrom, CancellationToken ct)
    {
        var call = new Call(Principal.ForService("coffer.amazonaws.com", accountId), Region, "coffer.amazonaws.com", "AnchorAuditLog", RequestOrigin.Internal(Guid.NewGuid().ToString(), now))
        {
            Mutates = true,
            RequestParameters = new JsonObject
            {
                ["reason"] = reason,
                ["keyedFrom"] = keyedFrom,
                ["finding"] = finding?.Finding.ToString(),
                ["detail"] = finding?.Message,
            },
        };
        var entry = AuditEntry.From(AuditLog.Build(call, null, null));
        await store.WriteAsync(
            async (s, ct) =>
            {
                await s.Audit.AppendAsync(entry, ct);
                return true;
            },
            ct);
    }
}
