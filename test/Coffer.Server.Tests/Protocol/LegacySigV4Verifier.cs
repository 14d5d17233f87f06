using System.Security.Cryptography;
using System.Text;
using Coffer.Core;
using Coffer.Core.Identity;
using Coffer.Server.Auth;
using Coffer.Signing;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Tests.Protocol;

/// <summary>
/// The verifier as it was before issue 11's allocation work (strings, LINQ, a StringBuilder), kept
/// unchanged as the oracle <see cref="SigV4EquivalenceTests"/> compares <see cref="SigV4Verifier"/>
/// with: both must accept the same requests and refuse the same ones with the same code and message.
/// </summary>
internal sealed class LegacySigV4Verifier(CredentialStore credentials, TimeProvider domainClock, TimeProvider requestClock)
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    private static readonly string[] HeaderFields = ["Credential", "SignedHeaders", "Signature"];
    private static readonly string[] QueryFields = ["X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Date"];
    private const int MaxPresignedExpiry = 604800;

    public Authenticated Verify(HttpRequest request, ReadOnlySpan<byte> body)
    {
        var query = SigV4.ParseQuery(request.QueryString.Value);
        var presigned = query.Any(p => p.Key == "X-Amz-Algorithm");
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

        if (parsed.Date != parsed.AmzDate[..8])
        {
            throw InvalidSignature($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{parsed.Date}' != '{parsed.AmzDate[..8]}', from '{parsed.AmzDate}'.");
        }

        // The oracle stays synchronous: the tests' store is SQLite, whose reads complete at once.
        var lookup = credentials.FindAsync(parsed.AccessKeyId);
        var credential = lookup.IsCompletedSuccessfully ? lookup.Result : throw new InvalidOperationException("The oracle's key lookup did not complete at once.");
        if (credential is null || !credential.Record.IsActive)
        {
            throw new CofferException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
        }

        CheckSessionToken(credential.Record, request, query, domainClock.GetUtcNow());

        RequireSignedHeaders(request, parsed, presigned);
        var headers = SignedHeaderValues(request, parsed.SignedHeaders);
        var payloadHash = presigned ? PresignedPayloadHash(body) : PayloadHash(request, body);
        var canonicalQuery = presigned ? query.Where(p => p.Key != "X-Amz-Signature").ToList() : query;
        var signingKey = credential.SigningKeys.GetOrAdd(
            $"{parsed.Date}/{parsed.Region}/{parsed.Service}",
            _ => SigV4.SigningKey(credential.Secret, parsed.Date, parsed.Region, parsed.Service));
        var scope = SigV4.Scope(parsed.Date, parsed.Region, parsed.Service);

        var input = new SigV4.CanonicalInput(request.Method, request.Path.Value ?? "/", canonicalQuery, headers, parsed.SignedHeaders, payloadHash);
        // A presigned URL has no body; signers write its payload hash as the empty body's (most SDKs)
        // or as UNSIGNED-PAYLOAD (botocore's presigner). Both say the same thing of an empty body.
        if (!Matches(signingKey, parsed, scope, input)
            && !(presigned && Matches(signingKey, parsed, scope, input with { PayloadHash = SigV4.UnsignedPayload })))
        {
            throw InvalidSignature("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return new Authenticated(credential.ToPrincipal(), parsed.Region, parsed.Service);
    }

    /// <summary>The canonical request this verifier hashes, as text: what a request is signed over in the equivalence tests.</summary>
    internal static string CanonicalRequest(HttpRequest request, bool presigned, string signedHeaders, string payloadHash)
    {
        var query = SigV4.ParseQuery(request.QueryString.Value);
        var names = signedHeaders.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToList();
        var headers = SignedHeaderValues(request, names);
        var canonicalQuery = presigned ? query.Where(p => p.Key != "X-Amz-Signature").ToList() : query;
        return SigV4.CanonicalRequest(new SigV4.CanonicalInput(request.Method, request.Path.Value ?? "/", canonicalQuery, headers, names, payloadHash));
    }

    private static bool Matches(byte[] signingKey, Parsed parsed, string scope, SigV4.CanonicalInput input)
    {
        var stringToSign = SigV4.StringToSign(parsed.AmzDate, scope, SigV4.CanonicalRequest(input));
        var expected = Encoding.ASCII.GetBytes(SigV4.Signature(signingKey, stringToSign));
        var provided = Encoding.ASCII.GetBytes(parsed.Signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    private static void CheckSessionToken(AccessKeyRecord record, HttpRequest request, List<KeyValuePair<string, string>> query, DateTimeOffset now)
    {
        var token = request.Headers["X-Amz-Security-Token"].FirstOrDefault()
            ?? query.FirstOrDefault(p => p.Key == "X-Amz-Security-Token").Value;
        if (record.SessionTokenHash is null)
        {
            if (!string.IsNullOrEmpty(token))
            {
                throw new CofferException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
            }

            return;
        }

        if (string.IsNullOrEmpty(token)
            || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), record.SessionTokenHash))
        {
            throw new CofferException(ErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");
        }

        if (record.Expiration is { } expiry && expiry <= now)
        {
            throw new CofferException(ErrorCodes.ExpiredToken, "The security token included in the request is expired");
        }
    }

    /// <summary>
    /// The payload hash of a request signed in its Authorization header: always the body's own.
    /// <c>UNSIGNED-PAYLOAD</c> is S3's convention, and no service Coffer speaks accepts it: every
    /// byte Coffer reads from a body must be covered by the signature.
    /// </summary>
    private static string PayloadHash(HttpRequest request, ReadOnlySpan<byte> body)
    {
        var actual = SigV4.Hex(SHA256.HashData(body));
        var declared = request.Headers["X-Amz-Content-Sha256"].FirstOrDefault();
        if (declared is null)
        {
            return actual;
        }

        if (declared == SigV4.UnsignedPayload || declared.StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            throw InvalidSignature($"'x-amz-content-sha256: {declared}' is not accepted: Coffer's services read the body, so its SHA-256 must be signed.");
        }

        if (!string.Equals(declared, actual, StringComparison.OrdinalIgnoreCase))
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
    private static void RequireSignedHeaders(HttpRequest request, Parsed parsed, bool presigned)
    {
        if (!presigned && !parsed.SignedHeaders.Contains(request.Headers.ContainsKey("X-Amz-Date") ? "x-amz-date" : "date"))
        {
            throw Incomplete("The request's date header (x-amz-date, or date) must be one of the SignedHeaders.");
        }

        foreach (var header in request.Headers)
        {
            if (header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)
                && !parsed.SignedHeaders.Contains(header.Key.ToLowerInvariant()))
            {
                throw Incomplete($"The header '{header.Key.ToLowerInvariant()}' is not signed: host, the date and every x-amz-* header sent must be in SignedHeaders.");
            }
        }
    }

    /// <summary>The values of the headers the client signed (header lookup ignores case).</summary>
    private static Dictionary<string, IReadOnlyList<string>> SignedHeaderValues(HttpRequest request, IReadOnlyList<string> signedHeaders)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(signedHeaders.Count, StringComparer.Ordinal);
        foreach (var name in signedHeaders)
        {
            if (request.Headers.TryGetValue(name, out var values))
            {
                headers[name] = values.Count == 1 ? [values[0] ?? ""] : values.Select(v => v ?? "").ToArray();
            }
        }

        return headers;
    }

    private static Parsed ParseHeader(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.FirstOrDefault();
        if (string.IsNullOrEmpty(authorization))
        {
            throw new CofferException(ErrorCodes.MissingAuthenticationToken, "Missing Authentication Token");
        }

        if (!authorization.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
        {
            throw Incomplete($"Unsupported authorization type or algorithm: '{authorization.Split(' ')[0]}'. Coffer accepts {SigV4.Algorithm}.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in authorization[(SigV4.Algorithm.Length + 1)..].Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }

        var missing = HeaderFields.Where(f => !fields.ContainsKey(f)).ToList();
        if (missing.Count > 0)
        {
            throw Incomplete(string.Join(' ', missing.Select(m => $"Authorization header requires '{m}' parameter.")) + $" Authorization={authorization.Split(' ')[0]}");
        }

        var amzDate = request.Headers["X-Amz-Date"].FirstOrDefault();
        if (amzDate is null && DateTimeOffset.TryParse(request.Headers.Date.FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date))
        {
            amzDate = SigV4.FormatDate(date);
        }

        if (amzDate is null)
        {
            throw Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        return Parsed.From(fields["Credential"], fields["SignedHeaders"], fields["Signature"], amzDate, expires: 0);
    }

    private static Parsed ParsePresigned(List<KeyValuePair<string, string>> query)
    {
        string? Get(string name) => query.FirstOrDefault(p => p.Key == name).Value;

        if (Get("X-Amz-Algorithm") != SigV4.Algorithm)
        {
            throw Incomplete($"X-Amz-Algorithm only supports \"{SigV4.Algorithm}\"");
        }

        var missing = QueryFields.Where(n => Get(n) is null).ToList();
        if (missing.Count > 0)
        {
            throw Incomplete(string.Join(' ', missing.Select(m => $"AWS query-string parameters must include '{m}'.")) + " Re-examine the query-string parameters.");
        }

        var expires = 900;
        if (Get("X-Amz-Expires") is { } e && (!int.TryParse(e, out expires) || expires < 1 || expires > MaxPresignedExpiry))
        {
            throw Incomplete($"X-Amz-Expires must be a number of seconds between 1 and {MaxPresignedExpiry}.");
        }

        return Parsed.From(Get("X-Amz-Credential")!, Get("X-Amz-SignedHeaders")!, Get("X-Amz-Signature")!, Get("X-Amz-Date")!, expires);
    }

    private static CofferException Incomplete(string message) => new(ErrorCodes.IncompleteSignature, message);

    private static CofferException InvalidSignature(string message) => new(ErrorCodes.InvalidSignature, message);

    private sealed record Parsed(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature, string AmzDate, int Expires)
    {
        public static Parsed From(string credential, string signedHeaders, string signature, string amzDate, int expires)
        {
            var scope = credential.Split('/');
            if (scope.Length != 5 || scope[4] != "aws4_request" || scope.Take(4).Any(string.IsNullOrEmpty))
            {
                throw Incomplete($"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'");
            }

            var headers = signedHeaders.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToList();
            if (!headers.Contains("host"))
            {
                throw InvalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
            }

            return new Parsed(scope[0], scope[1], scope[2], scope[3], headers, signature, amzDate, expires);
        }
    }
}
