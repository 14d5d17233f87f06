using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Crypto;
using Coffer.Core.Storage;

namespace Coffer.Core.Identity;

/// <summary>An access key ready for signature checks: its owner and its secret, unwrapped.</summary>
public sealed class ResolvedCredential
{
    private Principal? _principal;

    internal ResolvedCredential(AccessKeyRecord record, byte[] secret)
    {
        Record = record;
        Secret = secret;
    }

    public AccessKeyRecord Record { get; }

    /// <summary>The secret access key as UTF-8 bytes; never logged, never returned by any API.</summary>
    public byte[] Secret { get; }

    /// <summary>Derived SigV4 signing keys of this credential, by "date/region/service".</summary>
    public ConcurrentDictionary<string, byte[]> SigningKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>The key's owner as a caller. Made once per resolved key (a record, immutable, as its
    /// <see cref="Record"/> is): a change to the key evicts the key and with it this (issue 11).</summary>
    public Principal ToPrincipal() => _principal ??= new(Record.OwnerType, Record.AccountId, Record.OwnerArn, Record.OwnerId, Record.AccessKeyId)
    {
        Name = Record.OwnerName,
        RoleArn = Record.RoleArn,
        Expiration = Record.Expiration,
    };
}

/// <summary>
/// Finds access keys for authentication. Unwrapped credentials are cached in memory, and every
/// change to a key (deactivation, deletion) evicts it, so a revoked key is refused at once.
/// </summary>
public sealed class CredentialStore(ICofferStore store, Keyring keyring)
{
    private readonly ConcurrentDictionary<string, ResolvedCredential> _cache = new(StringComparer.Ordinal);
    private long _evictions;

    public static string SecretPurpose(string accessKeyId) => "access-key:" + accessKeyId;

    /// <summary>The key and its secret, awaiting the store on a miss (a cached key completes at once);
    /// <paramref name="within"/>, the session of the write the caller runs in, if any.</summary>
    public ValueTask<ResolvedCredential?> FindAsync(string accessKeyId, IStoreSession? within = null, CancellationToken cancellationToken = default)
    {
        var hit = _cache.TryGetValue(accessKeyId, out var cached);
        Diagnostics.CofferMetrics.CacheLookup("access_keys", hit);
        return hit ? new(cached) : LoadAsync(accessKeyId, within, cancellationToken);
    }

    /// <summary>The cached key for a key id read from a request, found without making a string of the id
    /// (issue 11); false when it is not cached, and <see cref="FindAsync"/> must read it.</summary>
    public bool TryFindCached(ReadOnlySpan<char> accessKeyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResolvedCredential? credential)
    {
        var hit = _cache.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(accessKeyId, out credential);
        if (hit)
        {
            Diagnostics.CofferMetrics.CacheLookup("access_keys", hit: true);
        }

        return hit;
    }

    private async ValueTask<ResolvedCredential?> LoadAsync(string accessKeyId, IStoreSession? within, CancellationToken cancellationToken)
    {
        var evictions = Interlocked.Read(ref _evictions);
        var record = await store.ReadInAsync(within, (s, ct) => s.AccessKeys.FindAsync(accessKeyId, ct), cancellationToken);
        return record is null ? null : Resolve(accessKeyId, record, evictions, within);
    }

    private ResolvedCredential Resolve(string accessKeyId, AccessKeyRecord record, long evictions, IStoreSession? within)
    {
        var resolved = new ResolvedCredential(record, keyring.Root.Unwrap(record.WrappedSecret, SecretPurpose(accessKeyId)));
        if (within is not null)
        {
            // Read inside a write, which may yet be undone: not cached.
            return resolved;
        }

        // A change committed while this read ran may already have evicted; then do not cache what may be stale.
        return Interlocked.Read(ref _evictions) == evictions ? _cache.GetOrAdd(accessKeyId, resolved) : resolved;
    }

    /// <summary>Forgets a key; call it after the change to the key is committed.</summary>
    public void Evict(string accessKeyId)
    {
        Interlocked.Increment(ref _evictions);
        _cache.TryRemove(accessKeyId, out _);
    }

    public void Clear()
    {
        Interlocked.Increment(ref _evictions);
        _cache.Clear();
    }

    /// <summary>Makes a new access key record with a fresh secret; the secret is returned once, here.</summary>
    public (AccessKeyRecord Record, string Secret) Create(string prefix, string accountId, PrincipalType ownerType, string ownerArn, string ownerId, string? ownerName, DateTimeOffset now, string? accessKeyId = null, string? secret = null)
    {
        accessKeyId ??= NewAccessKeyId(prefix);
        secret ??= NewSecret();
        var record = new AccessKeyRecord
        {
            AccessKeyId = accessKeyId,
            AccountId = accountId,
            OwnerType = ownerType,
            OwnerArn = ownerArn,
            OwnerId = ownerId,
            OwnerName = ownerName,
            WrappedSecret = keyring.Root.Wrap(Encoding.UTF8.GetBytes(secret), SecretPurpose(accessKeyId)),
            CreateDate = now,
        };
        return (record, secret);
    }

    /// <summary>An id in AWS's form: a four-letter prefix (AKIA, ASIA) and 16 characters of base32.</summary>
    public static string NewAccessKeyId(string prefix) => prefix + RandomString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);

    public static string NewSecret() => RandomString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);

    public static string RandomString(string alphabet, int length) =>
        string.Create(length, alphabet, static (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
}
