using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Hosting;

/// <summary>
/// Token buckets per source address and per access key, and a penalty for access key ids that keep
/// failing their signature (issue 8). A throttled call gets the service's throttling error, which
/// every AWS SDK retries with backoff. Buckets are dropped once they have refilled, so an attacker
/// cycling addresses or made-up key ids does not grow memory for long.
/// </summary>
/// <remarks>
/// The pipeline calls <see cref="TryAcquireAddress"/> and <see cref="TryAcquireClaimedKey"/> before
/// it reads the body; the protocol adapters call <see cref="TryAcquire"/> once a signature is verified
/// and <see cref="SignatureFailed"/> when it is not.
/// </remarks>
public sealed partial class Throttle(ThrottleSettings settings, TimeProvider time)
{
    /// <summary>The message AWS sends with its throttling errors.</summary>
    public const string Message = "Rate exceeded";

    private const int SweepAbove = 10_000;
    private const int MaxKeyIdLength = 128;

    /// <summary>A key id, <c>@</c>, and an address as text (an IPv6 address with its scope is at most 65 characters).</summary>
    private const int MaxFailureKeyLength = MaxKeyIdLength + 1 + 72;

    private readonly ConcurrentDictionary<string, TokenBucket> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, TokenBucket> _addresses = new();
    private readonly ConcurrentDictionary<string, SignatureFailures> _failures = new(StringComparer.Ordinal);
    private int _sweeping;

    public ThrottleSettings Settings => settings;

    /// <summary>Takes a token from the source address's bucket.</summary>
    public bool TryAcquireAddress(IPAddress? address)
    {
        if (settings.PerAddressRate <= 0)
        {
            return true;
        }

        return Counted(Take(_addresses, Source(address), settings.PerAddressRate, settings.PerAddressBurst), "address");
    }

    /// <summary>The bucket an address draws from: an IPv4 address, or an IPv6 /64, since one host
    /// usually has a whole /64 to pick addresses from.</summary>
    internal static IPAddress Source(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>Takes a token from the bucket of an access key whose signature has been verified.</summary>
    public bool TryAcquire(string accessKeyId)
    {
        if (settings.PerKeyRate <= 0)
        {
            return true;
        }

        return Counted(Take(_keys, accessKeyId, settings.PerKeyRate, settings.PerKeyBurst), "access_key");
    }

    /// <summary>
    /// Before the signature is checked: a key id under a signature-failure penalty gets one request
    /// a second from the address the failures came from, whether or not this one is signed
    /// correctly. The penalty is per key id and source address: access key ids are not secret, so
    /// failures sent from elsewhere must not slow the key's owner down.
    /// </summary>
    public bool TryAcquireClaimedKey(HttpRequest request)
    {
        // Every request passes here: the key is looked up as it is written, without a string of it (issue 11).
        Span<char> key = stackalloc char[MaxFailureKeyLength];
        return !TryWriteFailureKey(request, key, out var length)
            || !_failures.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key[..length], out var failures)
            || Counted(failures.TryPass(time), "signature_penalty");
    }

    private static bool Counted(bool passed, string bucket)
    {
        if (!passed)
        {
            Telemetry.ServerMetrics.Throttle(bucket);
        }

        return passed;
    }

    /// <summary>Records a failed signature for the access key id a request named, from its source address.</summary>
    public void SignatureFailed(HttpRequest request)
    {
        if (FailureKey(request) is { } key)
        {
            _failures.GetOrAdd(key, _ => new SignatureFailures(settings)).Record(time);
            SweepIfLarge();
        }
    }

    private static string? FailureKey(HttpRequest request)
    {
        Span<char> key = stackalloc char[MaxFailureKeyLength];
        return TryWriteFailureKey(request, key, out var length) ? new string(key[..length]) : null;
    }

    /// <summary>Writes the key failures are counted under: the claimed access key id, <c>@</c>, and the source address.</summary>
    private static bool TryWriteFailureKey(HttpRequest request, Span<char> key, out int length)
    {
        length = 0;
        var keyId = ClaimedKeyId(request);
        if (keyId.IsEmpty || !Source(request.HttpContext.Connection.RemoteIpAddress).TryFormat(key[(keyId.Length + 1)..], out var written))
        {
            return false;
        }

        keyId.CopyTo(key);
        key[keyId.Length] = '@';
        length = keyId.Length + 1 + written;
        return true;
    }

    /// <summary>The access key id a request claims (Authorization header or presigned query), unverified.</summary>
    public static string? ClaimedAccessKeyId(HttpRequest request)
    {
        var keyId = ClaimedKeyId(request);
        return keyId.IsEmpty ? null : keyId.ToString();
    }

    /// <summary><see cref="ClaimedAccessKeyId"/> as a span of the header or query value; empty when there is none.</summary>
    private static ReadOnlySpan<char> ClaimedKeyId(HttpRequest request)
    {
        var query = request.Query["X-Amz-Credential"];
        var presigned = query.Count > 0 ? query[0] : null;
        ReadOnlySpan<char> credential = presigned;
        if (presigned is null)
        {
            var authorization = request.Headers.Authorization;
            var text = authorization.Count > 0 ? authorization[0] : null;
            var at = text is null ? -1 : text.IndexOf("Credential=", StringComparison.Ordinal);
            credential = at < 0 ? default : text.AsSpan(at + "Credential=".Length);
        }

        var slash = credential.IndexOf('/');
        var keyId = slash < 0 ? credential : credential[..slash];
        return keyId.Length is > 0 and <= MaxKeyIdLength ? keyId : default;
    }

    private bool Take<TKey>(ConcurrentDictionary<TKey, TokenBucket> buckets, TKey key, double rate, double burst)
        where TKey : notnull
    {
        if (!buckets.TryGetValue(key, out var bucket))
        {
            bucket = buckets.GetOrAdd(key, _ => new TokenBucket(rate, burst, time.GetTimestamp()));
            SweepIfLarge();
        }

        return bucket.TryTake(time);
    }

    private void SweepIfLarge()
    {
        if (_keys.Count + _addresses.Count + _failures.Count <= SweepAbove || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            foreach (var (key, bucket) in _keys.Where(e => e.Value.IsFull(time)).ToList())
            {
                _keys.TryRemove(KeyValuePair.Create(key, bucket));
            }

            foreach (var (address, bucket) in _addresses.Where(e => e.Value.IsFull(time)).ToList())
            {
                _addresses.TryRemove(KeyValuePair.Create(address, bucket));
            }

            foreach (var (key, failures) in _failures.Where(e => e.Value.IsOver(time)).ToList())
            {
                _failures.TryRemove(KeyValuePair.Create(key, failures));
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
