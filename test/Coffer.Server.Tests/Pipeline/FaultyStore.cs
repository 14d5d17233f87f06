using Coffer.Core.Audit;
using Coffer.Core.Events;
using Coffer.Core.Functions;
using Coffer.Core.Identity;
using Coffer.Core.Kms;
using Coffer.Core.Parameters;
using Coffer.Core.Secrets;
using Coffer.Core.Storage;

namespace Coffer.Server.Tests.Pipeline;

/// <summary>A real store that fails audit or event appends on demand, to show what a failure between them leaves.</summary>
public sealed class FaultyStore(ICofferStore inner) : ICofferStore
{
    public bool FailAuditAppends { get; set; }

    public bool FailEventAppends { get; set; }

    public T Read<T>(Func<IStoreSession, T> work) => inner.Read(s => work(new Session(s, this)));

    public Task<T> WriteAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(s => work(new Session(s, this)), cancellationToken);

    public ValueTask<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        inner.ReadAsync((s, ct) => work(new Session(s, this), ct), cancellationToken);

    public Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        inner.WriteAsync((s, ct) => work(new Session(s, this), ct), cancellationToken);

    public Task WipeAsync(CancellationToken cancellationToken = default) => inner.WipeAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class Session(IStoreSession inner, FaultyStore faults) : IStoreSession
    {
        public IMetaRepository Meta => inner.Meta;

        public IAccessKeyRepository AccessKeys => inner.AccessKeys;

        public IIamRepository Iam => inner.Iam;

        public IKmsRepository Kms => inner.Kms;

        public IParameterRepository Parameters => inner.Parameters;

        public IAuditRepository Audit => new AuditRepository(inner.Audit, faults);

        public IEventRepository Events => new EventRepository(inner.Events, faults);

        public ISecretRepository Secrets => inner.Secrets;

        public IFunctionRepository Functions => inner.Functions;

        public IRuleRepository Rules => inner.Rules;

        public Coffer.Core.Secrets.IRotationRepository Rotations => inner.Rotations;
    }

    private sealed class AuditRepository(IAuditRepository inner, FaultyStore faults) : IAuditRepository
    {
        public void Append(AuditEntry entry)
        {
            if (faults.FailAuditAppends)
            {
                throw new IOException("injected: the audit append failed (disk full)");
            }

            inner.Append(entry);
        }

        public IReadOnlyList<StoredAuditRecord> ReadAfter(long sequence, int limit) => inner.ReadAfter(sequence, limit);

        public IReadOnlyList<FoundAuditRecord> Lookup(AuditLookup lookup) => inner.Lookup(lookup);

        public int IndexRecords(int limit) => inner.IndexRecords(limit);

        public long IndexedThrough() => inner.IndexedThrough();

        public long ArchivableThrough(long beforeMs) => inner.ArchivableThrough(beforeMs);

        public int DeleteThrough(long sequence, int limit) => inner.DeleteThrough(sequence, limit);
        public IReadOnlyList<UsageCount> CountCalls(string accountId, DateTimeOffset from, DateTimeOffset to) => inner.CountCalls(accountId, from, to);
    }

    private sealed class EventRepository(IEventRepository inner, FaultyStore faults) : IEventRepository
    {
        public void Append(CofferEvent e)
        {
            if (faults.FailEventAppends)
            {
                throw new IOException("injected: the event append failed");
            }

            inner.Append(e);
        }

        public IReadOnlyList<StoredEvent> ReadAfter(long sequence, int limit) => inner.ReadAfter(sequence, limit);

        public IReadOnlyList<StoredEvent> ReadBefore(long sequence, int limit) => inner.ReadBefore(sequence, limit);
    }
}
