using Coffer.Core.Audit;
using Coffer.Core.Events;
using Coffer.Core.Functions;
using Coffer.Core.Identity;
using Coffer.Core.Kms;
using Coffer.Core.Parameters;
using Coffer.Core.Secrets;

namespace Coffer.Core.Storage;

/// <summary>
/// Where Coffer keeps its state. Reads see a consistent snapshot. Writes run one at a time, each in
/// its own savepoint inside a group-committed transaction: the returned task completes only once the
/// change is durable, and a write that throws leaves nothing behind. A write's audit record and
/// events go into the same transaction as its change, so none exists without the others.
/// </summary>
public interface ICofferStore : IAsyncDisposable
{
    /// <summary>
    /// Runs <paramref name="work"/> in one snapshot (a read transaction), awaiting it: everything it
    /// reads is as of one moment. Never joins a write: called from inside a write's work it throws
    /// <see cref="InvalidOperationException"/>; a read there goes through the session the write was given.
    /// </summary>
    ValueTask<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/>, a unit of work, on the store's writer in its own savepoint of a
    /// group-committed transaction; the writer awaits it before it runs the next, so it must await
    /// only the session it is given (all writers wait behind it: encrypt, call KMS or HTTP before).
    /// The task completes once the change is durable. A throw, or <paramref name="cancellationToken"/>
    /// cancelled while it runs, undoes it alone.
    /// </summary>
    Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether this node runs scheduled work (rotations, deletion windows, expirations, event
    /// delivery) now: when several nodes share a store, only the one holding its lease, taken here if
    /// it is free. Cheap enough to call before each round. A store used by one process always says yes.
    /// </summary>
    bool TryHoldScheduleLease() => true;

    /// <summary>What the store announces of committed changes, for caches; null when it announces nothing.</summary>
    IStoreChangeFeed? ChangeFeed => this as IStoreChangeFeed;

    /// <summary>The per-topic generations a store shared by several nodes keeps for caches; null on a store one process writes.</summary>
    IStoreGenerations? Generations => this as IStoreGenerations;

    /// <summary>
    /// Appends the record of a call that changed nothing (a read, a refusal). The task completes
    /// once the record is committed and would survive the process being killed; a store may delay
    /// making it survive a power loss (see docs/security-model.md), which a change's record never is.
    /// </summary>
    Task AppendRecordAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        this.WriteAsync(async (s, ct) =>
        {
            await s.Audit.AppendAsync(entry, ct);
            return true;
        }, cancellationToken);

    /// <summary>Removes every row: dev mode's reset.</summary>
    Task WipeAsync(CancellationToken cancellationToken = default);
}

/// <summary>The repositories, as seen inside one read or write.</summary>
public interface IStoreSession
{
    IMetaRepository Meta { get; }

    IAccessKeyRepository AccessKeys { get; }

    IIamRepository Iam { get; }

    IKmsRepository Kms { get; }

    IParameterRepository Parameters { get; }

    IAuditRepository Audit { get; }

    IEventRepository Events { get; }

    ISecretRepository Secrets { get; }

    IFunctionRepository Functions { get; }

    IRuleRepository Rules { get; }

    IRotationRepository Rotations { get; }
}

public interface IMetaRepository
{

    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken);

    ValueTask SetAsync(string key, string value, CancellationToken cancellationToken);
}

public static class StoreExtensions
{
    /// <summary><see cref="ICofferStore.WriteAsync{T}"/> for a unit of work with no result.</summary>
    public static Task WriteAsync(this ICofferStore store, Func<IStoreSession, CancellationToken, ValueTask> work, CancellationToken cancellationToken = default) =>
        store.WriteAsync(async (s, ct) =>
        {
            await work(s, ct);
            return true;
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in <paramref name="within"/>, the session of the write the caller
    /// runs in, when there is one (it sees that write's changes so far); else in a snapshot of its own.</summary>
    public static ValueTask<T> ReadInAsync<T>(this ICofferStore store, IStoreSession? within, Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        within is null ? store.ReadAsync(work, cancellationToken) : work(within, cancellationToken);
}
