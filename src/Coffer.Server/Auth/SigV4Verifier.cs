using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Coffer.Core;
using Coffer.Core.Identity;
using Coffer.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Coffer.Server.Auth;

/// <summary>Who signed a request, and for which region and service.</summary>
public sealed record Authenticated(Principal Principal, string Region, string Service);

/// <summary>
/// Verifies SigV4 on an incoming request: the Authorization header or a presigned query string,
/// the payload hash (<c>x-amz-content-sha256</c>, <c>UNSIGNED-PAYLOAD</c>), session tokens, AWS's
/// five-minute clock-skew window, and the signature itself in constant time with a signing key
/// cached per credential, day, region and service. Failures are the errors AWS gives, in the JSON
/// protocol's names; the query protocol renames them.
/// </summary>
/// <remarks>
/// <para>The clock-skew window is measured on <paramref name="requestClock"/>, the wall clock the
/// client signed with; a session's expiry on <paramref name="domainClock"/>, Coffer's own clock. Both
/// are the system clock except in tests that move Coffer's clock forward (rotation, deletion windows).</para>
/// <para>Issue 11: the header is read as spans of itself, the canonical request and the string to
/// sign are written into pooled buffers (<see cref="CanonicalRequestWriter"/>) and hashed there, and
/// hashes and signatures are compared as bytes, so an accepted request allocates little more than
/// its <see cref="Authenticated"/>. The canonical request is the one <see cref="SigV4.CanonicalRequest"/>
/// makes, which the signers use; <c>SigV4EquivalenceTests</c> holds the two, and this verifier and
/// the one it replaced, to the same bytes and the same answers.</para>
/// </remarks>
public sealed class SigV4Verifier(CredentialStore credentials, TimeProvider domainClock, TimeProvider requestClock)
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    private const int MaxPresignedExpiry = 604800;
    private const int HashLength = 32;
    private const int MaxScopeNames = 256;

    /// <summary>
    /// The region and service names verified signatures were scoped to, so that a request's
    /// <see cref="Authenticated"/> takes them without new strings. Added to only after a signature
    /// verifies, and bounded: a name past the bound is a new string each time, nothing worse.
    /// </summary>
    private static readonly ConcurrentDictionary<string, string> ScopeNames = new(StringComparer.Ordinal);

    /// <summary>The query of a request without one (most of them), shared: read, never written.</summary>
    private static readonly IReadOnlyList<KeyValuePair<string, string>> NoQuery = [];

    /// <summary>
    /// Verifies a request. A key that is cached (nearly every request's) is verified at once, and the
    /// task completes synchronously with nothing allocated beyond what the verification itself makes;
    /// only a key that must be read from the store is awaited, and the request is verified again with it.
    /// </summary>
    public ValueTask<Authenticated> VerifyAsync(HttpRequest request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        Verify(request, body.Span, loaded: false, null, out var uncached) is { } verified
            ? new(verified)
            : VerifyLoadedAsync(request, body, uncached!, cancellationToken);

    private async ValueTask<Authenticated> VerifyLoadedAsync(HttpRequest request, ReadOnlyMemory<byte> body, string accessKeyId, CancellationToken cancellationToken)
    {
        var credential = await credentials.FindAsync(accessKeyId, cancellationToken: cancellationToken);
        return Verify(request, body.Span, loaded: true, credential, out _)!;
    }

    /// <summary>
    /// The verification. With <paramref name="loaded"/> false, the key is looked up in the credential
    /// cache only: when it is not there, null, and <paramref name="uncached"/> the key id to read
    /// (every check before the lookup has passed). With <paramref name="loaded"/> true, the key is
    /// <paramref name="credential"/> as read from the store (null when there is none), and the
    /// answer is never null.
    /// </summary>
    private Authenticated? Verify(HttpRequest request, ReadOnlySpan<byte> body, bool loaded, ResolvedCredential? credential, out string? uncached)
    {
        uncached = null;
        var rawQuery = request.QueryString.Value;
        var query = string.IsNullOrEmpty(rawQuery) ? NoQuery : SigV4.ParseQuery(rawQuery);
        var presigned = QueryValue(query, "X-Amz-Algorithm") is not null;
        var parsed = presigned ? ParsePresigned(query) : ParseHeader(request);

        var now = requestClock.GetUtcNow();
        if (!SigV4.TryParseDate(parsed.AmzDate, out var signedAt))
        {
            throw Incomplete("Date must be in ISO-8601 'basic format'. Got '" + parsed.AmzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }

        if (presigned)
        {
            if (now - signedAt > TimeSpan.FromSeconds(parsed.Expires))
            {
                throw InvalidSignature($"Signature expired: {parsed.AmzDate} is now earlier than {SigV4.FormatDate(now.AddSeconds(-parsed.Expires))} ({SigV4.FormatDate(now)} - {parsed.Expires} sec.)");
            }

            if (signedAt > now + MaxSkew)
            {
                throw InvalidSignature($"Signature not yet current: {parsed.AmzDate} is still later than {SigV4.FormatDate(now + MaxSkew)} ({SigV4.FormatDate(now)} + 5 min.)");
            }
        }
        else if (signedAt < now - MaxSkew)
        {
            throw InvalidSignature($"Signature expired: {parsed.AmzDate} is now earlier than {SigV4.FormatDate(now - MaxSkew)} ({SigV4.FormatDate(now)} - 5 min.)");
        }
        else if (signedAt > now + MaxSkew)
        {
            throw InvalidSignature($"Signature not yet current: {parsed.AmzDate} is still later than {SigV4.FormatDate(now + MaxSkew)} ({SigV4.FormatDate(now)} + 5 min.)");
        }

        if (!parsed.Date.SequenceEqual(parsed.AmzDate.AsSpan(0, 8)))
        {
            throw InvalidSignature($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{parsed.Date}' != '{parsed.AmzDate[..8]}', from '{parsed.AmzDate}'.");
        }

        if (!loaded && !credentials.TryFindCached(parsed.AccessKeyId, out credential))
        {
            uncached = parsed.AccessKeyId.ToString();
            return null;
        }

        if (credential is null || !credential.Record.IsActive)
        {
            throw new CofferException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
        }

        CheckSessionToken(credential.Record, request, query, domainClock.GetUtcNow());

        RequireSignedHeaders(request, parsed.SignedHeaders, presigned);
        Span<char> payloadHashText = stackalloc char[2 * HashLength];
        var payloadHash = presigned ? PresignedPayloadHash(body) : PayloadHash(request, body, payloadHashText);

        var region = ScopeName(parsed.Region, out var newRegion);
        var service = ScopeName(parsed.Service, out var newService);

        // The signing key of this day, region and service, derived once (issue 11 keeps the cache);
        // a key derived here is cached only once it has verified a signature, so requests that fail
        // cannot fill the cache with scopes no one signs with.
        var keyName = parsed.KeyName;
        var cached = credential.SigningKeys.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(keyName, out var signingKey);
        signingKey ??= SigV4.SigningKey(credential.Secret, parsed.Date.ToString(), region, service);

        var verified = false;
        var canonical = new CanonicalRequestWriter();
        try
        {
            canonical.WriteUpToPayloadHash(request, query, presigned, parsed.SignedHeaders);
            var unsignedFrom = canonical.Length;
            canonical.Append(payloadHash);

            // A presigned URL has no body; signers write its payload hash as the empty body's (most SDKs)
            // or as UNSIGNED-PAYLOAD (botocore's presigner). Both say the same thing of an empty body.
            if (!Matches(signingKey, parsed, ref canonical))
            {
                canonical.Length = unsignedFrom;
                canonical.Append(SigV4.UnsignedPayload);
                if (!presigned || !Matches(signingKey, parsed, ref canonical))
                {
                    throw InvalidSignature("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
                }
            }

            verified = true;
        }
        finally
        {
            canonical.Dispose();
            if (!cached && !verified)
            {
                // Derived for a signature that did not verify, and cached nowhere: no copy of it is left behind.
                CryptographicOperations.ZeroMemory(signingKey);
            }
        }

        if (!cached)
        {
            credential.SigningKeys.TryAdd(keyName.ToString(), signingKey);
        }

        if (newRegion || newService)
        {
            RememberScopeNames(region, service);
        }

        return new Authenticated(credential.ToPrincipal(), region, service);
    }

    /// <summary>A region or service name as a string: one a verified signature was scoped to before, or a new one.</summary>
    private static string ScopeName(ReadOnlySpan<char> name, out bool made)
    {
        made = !ScopeNames.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var known);
        return known ?? name.ToString();
    }

    private static void RememberScopeNames(string region, string service)
    {
        if (ScopeNames.Count < MaxScopeNames)
        {
            ScopeNames.TryAdd(region, region);
            ScopeNames.TryAdd(service, service);
        }
    }

    /// <summary>The canonical request the verifier hashes for <paramref name="request"/>, as text, for tests.</summary>
    internal static string CanonicalRequest(HttpRequest request, bool presigned, string signedHeaders, string payloadHash)
    {
        var rawQuery = request.QueryString.Value;
        var query = string.IsNullOrEmpty(rawQuery) ? NoQuery : SigV4.ParseQuery(rawQuery);
        var canonical = new CanonicalRequestWriter();
        try
        {
            canonical.WriteUpToPayloadHash(request, query, presigned, signedHeaders);
            canonical.Append(payloadHash);
            return canonical.ToString();
        }
        finally
        {
            canonical.Dispose();
        }
    }

    /// <summary>
    /// Whether the provided signature is HMAC-SHA256(signing key, string to sign), compared as bytes
    /// in constant time. A provided signature that is not 64 hex digits (either case) matches nothing.
    /// </summary>
    private static bool Matches(byte[] signingKey, in Parsed parsed, ref CanonicalRequestWriter canonical)
    {
        Span<byte> canonicalHash = stackalloc byte[HashLength];
        canonical.Sha256(canonicalHash);

        Span<byte> expected = stackalloc byte[HashLength];
        var stringToSign = new CanonicalRequestWriter();
        try
        {
            stringToSign.Append(SigV4.Algorithm);
            stringToSign.Append('\n');
            stringToSign.Append(parsed.AmzDate);
            stringToSign.Append('\n');
            stringToSign.Append(parsed.Scope);
            stringToSign.Append('\n');
            stringToSign.AppendHexLower(canonicalHash);
            stringToSign.HmacSha256(signingKey, expected);
        }
        finally
        {
            stringToSign.Dispose();
        }

        Span<byte> provided = stackalloc byte[HashLength];
        var decoded = TryDecodeHash(parsed.Signature, provided);
        return CryptographicOperations.FixedTimeEquals(expected, provided) && decoded;
    }

    /// <summary>64 hex digits, in either case, as the 32 bytes they spell.</summary>
    private static bool TryDecodeHash(ReadOnlySpan<char> hex, Span<byte> hash) =>
        hex.Length == 2 * HashLength
        && Convert.FromHexString(hex, hash, out _, out var written) == OperationStatus.Done
        && written == HashLength;

    private static void CheckSessionToken(AccessKeyRecord record, HttpRequest request, IReadOnlyList<KeyValuePair<string, string>> query, DateTimeOffset now)
    {
        var token = First(request.Headers["X-Amz-Security-Token"]) ?? QueryValue(query, "X-Amz-Security-Token");
        if (record.SessionTokenHash is null)
        {
            if (!string.IsNullOrEmpty(token))
            {
                throw new CofferException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
            }

            return;
        }

        if (string.IsNullOrEmpty(token) || !TokenMatches(token, record.SessionTokenHash))
        {
            throw new CofferException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
        }

        if (record.Expiration is { } expiry && expiry <= now)
        {
            throw new CofferException(ErrorCodes.ExpiredToken, "The security token included in the request is expired");
        }
    }

    /// <summary>Whether the SHA-256 of the token's UTF-8 is the stored one, in constant time; the token's bytes are zeroed after.</summary>
    private static bool TokenMatches(string token, byte[] storedHash)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(token.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(token, buffer);
            Span<byte> hash = stackalloc byte[HashLength];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
            return CryptographicOperations.FixedTimeEquals(hash, storedHash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The payload hash of a request signed in its Authorization header: always the body's own.
    /// <c>UNSIGNED-PAYLOAD</c> is S3's convention, and no service Coffer speaks accepts it: every
    /// byte Coffer reads from a body must be covered by the signature. The canonical request takes
    /// the declared hash as it was sent (either case), or the body's in lower-case hex, written
    /// into <paramref name="computedText"/>.
    /// </summary>
    private static ReadOnlySpan<char> PayloadHash(HttpRequest request, ReadOnlySpan<byte> body, Span<char> computedText)
    {
        Span<byte> actual = stackalloc byte[HashLength];
        SHA256.HashData(body, actual);
        var declared = First(request.Headers["X-Amz-Content-Sha256"]);
        if (declared is null)
        {
            Convert.TryToHexStringLower(actual, computedText, out _);
            return computedText;
        }

        if (declared == SigV4.UnsignedPayload || declared.StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            throw InvalidSignature($"'x-amz-content-sha256: {declared}' is not accepted: Coffer's services read the body, so its SHA-256 must be signed.");
        }

        Span<byte> declaredHash = stackalloc byte[HashLength];
        if (!TryDecodeHash(declared, declaredHash) || !CryptographicOperations.FixedTimeEquals(declaredHash, actual))
        {
            throw InvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        return declared;
    }

    /// <summary>A presigned URL's signature covers its query and headers, never a body: one that
    /// arrives with a body is refused rather than read unsigned.</summary>
    private static string PresignedPayloadHash(ReadOnlySpan<byte> body) =>
        body.IsEmpty
            ? SigV4.EmptyPayloadHash
            : throw InvalidSignature("A presigned request carries no body: send the parameters in the signed query string, or sign the request with an Authorization header.");

    /// <summary>
    /// The headers a signature must cover: <c>host</c>, the date it was made at, and every
    /// <c>x-amz-*</c> header sent (<c>x-amz-target</c> above all, which names the operation), so a
    /// signed request cannot be replayed as another one by adding or changing a header.
    /// </summary>
    private static void RequireSignedHeaders(HttpRequest request, ReadOnlySpan<char> signedHeaders, bool presigned)
    {
        if (!presigned && !IsSigned(signedHeaders, request.Headers.ContainsKey("X-Amz-Date") ? "x-amz-date" : "date"))
        {
            throw Incomplete("The request's date header (x-amz-date, or date) must be one of the SignedHeaders.");
        }

        Span<char> lowered = stackalloc char[64];
        foreach (var header in request.Headers)
        {
            if (!header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            ReadOnlySpan<char> name = header.Key.Length <= lowered.Length
                ? lowered[..header.Key.AsSpan().ToLowerInvariant(lowered)]
                : header.Key.ToLowerInvariant();
            if (!IsSigned(signedHeaders, name))
            {
                throw Incomplete($"The header '{header.Key.ToLowerInvariant()}' is not signed: host, the date and every x-amz-* header sent must be in SignedHeaders.");
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> is one of the (lower-cased, <c>;</c>-separated) signed header names.</summary>
    private static bool IsSigned(ReadOnlySpan<char> signedHeaders, ReadOnlySpan<char> name)
    {
        foreach (var range in signedHeaders.Split(';'))
        {
            if (signedHeaders[range].SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }

    private static Parsed ParseHeader(HttpRequest request)
    {
        var authorization = First(request.Headers.Authorization);
        if (string.IsNullOrEmpty(authorization))
        {
            throw new CofferException(ErrorCodes.MissingAuthenticationToken, "Missing Authentication Token");
        }

        if (!authorization.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
        {
            throw Incomplete($"Unsupported authorization type or algorithm: '{authorization.Split(' ')[0]}'. Coffer accepts {SigV4.Algorithm}.");
        }

        // "Credential=..., SignedHeaders=..., Signature=...": each part split at its first '=', name
        // and value trimmed; a name given twice keeps its last value.
        var fields = authorization.AsSpan(SigV4.Algorithm.Length + 1);
        ReadOnlySpan<char> credential = default, signedHeaders = default, signature = default;
        bool hasCredential = false, hasSignedHeaders = false, hasSignature = false;
        foreach (var range in fields.Split(','))
        {
            var part = fields[range];
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (name.SequenceEqual("Credential"))
            {
                credential = value;
                hasCredential = true;
            }
            else if (name.SequenceEqual("SignedHeaders"))
            {
                signedHeaders = value;
                hasSignedHeaders = true;
            }
            else if (name.SequenceEqual("Signature"))
            {
                signature = value;
                hasSignature = true;
            }
        }

        if (!hasCredential || !hasSignedHeaders || !hasSignature)
        {
            var missing = new List<string>(3);
            foreach (var (field, present) in new[] { ("Credential", hasCredential), ("SignedHeaders", hasSignedHeaders), ("Signature", hasSignature) })
            {
                if (!present)
                {
                    missing.Add($"Authorization header requires '{field}' parameter.");
                }
            }

            throw Incomplete(string.Join(' ', missing) + $" Authorization={authorization.Split(' ')[0]}");
        }

        var amzDate = First(request.Headers["X-Amz-Date"]);
        if (amzDate is null && DateTimeOffset.TryParse(First(request.Headers.Date), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date))
        {
            amzDate = SigV4.FormatDate(date);
        }

        if (amzDate is null)
        {
            throw Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        return Parsed.From(credential, signedHeaders, signature, amzDate, expires: 0);
    }

    private static Parsed ParsePresigned(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        if (QueryValue(query, "X-Amz-Algorithm") != SigV4.Algorithm)
        {
            throw Incomplete($"X-Amz-Algorithm only supports \"{SigV4.Algorithm}\"");
        }

        var credential = QueryValue(query, "X-Amz-Credential");
        var signedHeaders = QueryValue(query, "X-Amz-SignedHeaders");
        var signature = QueryValue(query, "X-Amz-Signature");
        var amzDate = QueryValue(query, "X-Amz-Date");
        if (credential is null || signedHeaders is null || signature is null || amzDate is null)
        {
            var missing = new List<string>(4);
            foreach (var (field, value) in new[] { ("X-Amz-Credential", credential), ("X-Amz-SignedHeaders", signedHeaders), ("X-Amz-Signature", signature), ("X-Amz-Date", amzDate) })
            {
                if (value is null)
                {
                    missing.Add($"AWS query-string parameters must include '{field}'.");
                }
            }

            throw Incomplete(string.Join(' ', missing) + " Re-examine the query-string parameters.");
        }

        var expires = 900;
        if (QueryValue(query, "X-Amz-Expires") is { } e && (!int.TryParse(e, out expires) || expires < 1 || expires > MaxPresignedExpiry))
        {
            throw Incomplete($"X-Amz-Expires must be a number of seconds between 1 and {MaxPresignedExpiry}.");
        }

        return Parsed.From(credential, signedHeaders, signature, amzDate, expires);
    }

    /// <summary>The value of the first query parameter named <paramref name="name"/> (decoded), or null.</summary>
    private static string? QueryValue(IReadOnlyList<KeyValuePair<string, string>> query, string name)
    {
        for (var i = 0; i < query.Count; i++)
        {
            if (query[i].Key == name)
            {
                return query[i].Value;
            }
        }

        return null;
    }

    private static string? First(StringValues values) => values.Count > 0 ? values[0] : null;

    private static CofferException Incomplete(string message) => new(ErrorCodes.IncompleteSignature, message);

    private static CofferException InvalidSignature(string message) => new(ErrorCodes.InvalidSignature, message);

    /// <summary>
    /// The signature's fields, as spans of the header (or query values) they were read from:
    /// the credential <c>id/date/region/service/aws4_request</c>, the signed header names lower-cased,
    /// the signature and the date it was made at.
    /// </summary>
    private readonly ref struct Parsed
    {
        public ReadOnlySpan<char> AccessKeyId { get; init; }

        /// <summary><c>date/region/service/aws4_request</c>, the credential after its key id.</summary>
        public ReadOnlySpan<char> Scope { get; init; }

        /// <summary><c>date/region/service</c>, the name of the signing key in the credential's cache.</summary>
        public ReadOnlySpan<char> KeyName { get; init; }

        public ReadOnlySpan<char> Date { get; init; }

        public ReadOnlySpan<char> Region { get; init; }

        public ReadOnlySpan<char> Service { get; init; }

        /// <summary>The names as signed, lower-cased (empty names between <c>;</c> are skipped where they are read).</summary>
        public ReadOnlySpan<char> SignedHeaders { get; init; }

        public ReadOnlySpan<char> Signature { get; init; }

        public string AmzDate { get; init; }

        public int Expires { get; init; }

        public static Parsed From(ReadOnlySpan<char> credential, ReadOnlySpan<char> signedHeaders, ReadOnlySpan<char> signature, string amzDate, int expires)
        {
            // Exactly five non-empty '/'-separated elements, the last "aws4_request".
            Span<int> slashes = stackalloc int[4];
            var count = 0;
            for (var i = 0; i < credential.Length; i++)
            {
                if (credential[i] == '/')
                {
                    if (count == slashes.Length)
                    {
                        count++;
                        break;
                    }

                    slashes[count++] = i;
                }
            }

            if (count != 4
                || !credential[(slashes[3] + 1)..].SequenceEqual("aws4_request")
                || slashes[0] == 0 || slashes[1] == slashes[0] + 1 || slashes[2] == slashes[1] + 1 || slashes[3] == slashes[2] + 1)
            {
                throw Incomplete($"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'");
            }

            // Lower-cased as a whole: the same as name by name, as ';' has no case. Most signers send
            // them lower-case already, and then nothing is copied.
            var lowered = signedHeaders.ContainsAnyExceptInRange((char)0, (char)127) || signedHeaders.ContainsAnyInRange('A', 'Z')
                ? signedHeaders.ToString().ToLowerInvariant()
                : signedHeaders;
            if (!IsSigned(lowered, "host"))
            {
                throw InvalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
            }

            return new Parsed
            {
                AccessKeyId = credential[..slashes[0]],
                Scope = credential[(slashes[0] + 1)..],
                KeyName = credential[(slashes[0] + 1)..slashes[3]],
                Date = credential[(slashes[0] + 1)..slashes[1]],
                Region = credential[(slashes[1] + 1)..slashes[2]],
                Service = credential[(slashes[2] + 1)..slashes[3]],
                SignedHeaders = lowered,
                Signature = signature,
                AmzDate = amzDate,
                Expires = expires,
            };
        }
    }
}
