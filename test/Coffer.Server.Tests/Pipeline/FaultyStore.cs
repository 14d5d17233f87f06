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

        public ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
        {
            Fault();
            return inner.AppendAsync(entry, cancellationToken);
        }

        public ValueTask<IReadOnlyList<StoredAuditRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken) => inner.ReadAfterAsync(sequence, limit, cancellationToken);

        public ValueTask<IReadOnlyList<FoundAuditRecord>> LookupAsync(AuditLookup lookup, CancellationToken cancellationToken) => inner.LookupAsync(lookup, cancellationToken);

        public ValueTask<int> IndexRecordsAsync(int limit, CancellationToken cancellationToken) => inner.IndexRecordsAsync(limit, cancellationToken);

        public ValueTask<long> IndexedThroughAsync(CancellationToken cancellationToken) => inner.IndexedThroughAsync(cancellationToken);

        public ValueTask<long> ArchivableThroughAsync(long beforeMs, CancellationToken cancellationToken) => inner.ArchivableThroughAsync(beforeMs, cancellationToken);

        public ValueTask<int> DeleteThroughAsync(long sequence, int limit, CancellationToken cancellationToken) => inner.DeleteThroughAsync(sequence, limit, cancellationToken);

        public ValueTask<IReadOnlyList<UsageCount>> CountCallsAsync(string accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.CountCallsAsync(accountId, from, to, cancellationToken);

        private void Fault()
        {
            if (faults.FailAuditAppends)
            {
                throw new IOException("injected: the audit append failed (disk full)");
            }
        }
    }

    private sealed class EventRepository(IEventRepository inner, FaultyStore faults) : IEventRepository
    {

        public ValueTask AppendAsync(CofferEvent e, CancellationToken cancellationToken)
        {
            Fault();
            return inner.AppendAsync(e, cancellationToken);
        }

        public ValueTask<IReadOnlyList<StoredEvent>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken) => inner.ReadAfterAsync(sequence, limit, cancellationToken);

        public ValueTask<IReadOnlyList<StoredEvent>> ReadBeforeAsync(long sequence, int limit, CancellationToken cancellationToken) => inner.ReadBeforeAsync(sequence, limit, cancellationToken);

        private void Fault()
        {
            if (faults.FailEventAppends)
            {
                throw new IOException("injected: the event append failed");
            }
        }
    }
}
