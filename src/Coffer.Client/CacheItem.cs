namespace Coffer.Client;

/// <summary>One cached secret or parameter. Reads of a fresh item take no lock; refreshes are one at a time per item.</summary>
internal sealed class CacheItem(string id)
{
    public string Id { get; } = id;

    /// <summary>One refresh at a time: a thousand concurrent misses make one call.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public object? HeldString;
    public object? HeldBinary;
    public string? VersionId;
    public string? Arn;
    public string? Name;

    /// <summary>Milliseconds (of the cache's clock) until which the item is served without a check; 0: check on the next read.</summary>
    public long ExpiresAt;

    /// <summary>Milliseconds (of the cache's clock) of the last read, for LRU eviction.</summary>
    public long LastAccess;

    /// <summary>Bumped by each change notice, so a refresh that started before a change does not mark the item fresh.</summary>
    public int Generation;

    public int Failures;
    public long RetryAt;
    public Exception? LastError;

    public bool HasValue => VersionId is not null;

    public bool Matches(IReadOnlyCollection<string> identifiers) =>
        identifiers.Contains(Id) || (Arn is not null && identifiers.Contains(Arn)) || (Name is not null && identifiers.Contains(Name));

    public void Expire()
    {
        Interlocked.Increment(ref Generation);
        Volatile.Write(ref ExpiresAt, 0);
        Volatile.Write(ref RetryAt, 0);
    }
}
