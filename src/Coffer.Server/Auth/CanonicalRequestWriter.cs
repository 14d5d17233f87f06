using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Coffer.Signing;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Auth;

/// <summary>
/// SigV4's canonical request (and string to sign) written as text into a pooled buffer and hashed
/// there as UTF-8, for <see cref="SigV4Verifier"/> (issue 11): the same characters
/// <see cref="SigV4.CanonicalRequest"/> builds as a string for the signers, without the string.
/// The text is encoded once, whole, as <c>Encoding.UTF8.GetBytes</c> of the string would be, so
/// even a lone surrogate in a header becomes the same bytes. Not a <c>using</c> variable (a
/// read-only copy would lose what is appended): dispose it in a <c>finally</c>.
/// </summary>
internal ref struct CanonicalRequestWriter
{
    /// <summary>Header names the SDKs sign, so looking one up makes no string.</summary>
    private static readonly string[] KnownHeaderNames =
    [
        "host", "x-amz-date", "x-amz-target", "content-type", "content-length", "x-amz-content-sha256",
        "x-amz-security-token", "x-amz-user-agent", "user-agent", "amz-sdk-invocation-id", "amz-sdk-request",
        "date", "accept", "accept-encoding", "content-encoding", "content-md5", "x-amz-api-version",
    ];

    private const string HexUpper = "0123456789ABCDEF";

    /// <summary>The characters a canonical path keeps as they are: '/' and the unreserved ones.</summary>
    private static readonly SearchValues<char> PathKept = SearchValues.Create("/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~");

    private char[] _chars;
    private int _length;

    public CanonicalRequestWriter() => _chars = ArrayPool<char>.Shared.Rent(1024);

    /// <summary>The characters written; setting it shorter drops the end.</summary>
    public int Length
    {
        readonly get => _length;
        set => _length = value <= _length ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>
    /// Method, canonical path, canonical query, the signed headers with their values, and the
    /// signed header names, each followed by its newline: all of the canonical request but the
    /// payload hash. <paramref name="signedHeaders"/> are the names as signed, lower-cased and
    /// <c>;</c>-separated; empty names are skipped, repeated ones written each time.
    /// </summary>
    public void WriteUpToPayloadHash(HttpRequest request, IReadOnlyList<KeyValuePair<string, string>> query, bool presigned, ReadOnlySpan<char> signedHeaders)
    {
        Append(request.Method);
        Append('\n');
        AppendCanonicalPath(request.Path.Value ?? "/");
        Append('\n');
        AppendCanonicalQuery(query, presigned);
        Append('\n');
        foreach (var range in signedHeaders.Split(';'))
        {
            var name = signedHeaders[range];
            if (name.IsEmpty)
            {
                continue;
            }

            Append(name);
            Append(':');
            if (request.Headers.TryGetValue(HeaderName(name), out var values))
            {
                for (var i = 0; i < values.Count; i++)
                {
                    if (i > 0)
                    {
                        Append(',');
                    }

                    AppendHeaderValue(values[i] ?? "");
                }
            }

            Append('\n');
        }

        Append('\n');
        var first = true;
        foreach (var range in signedHeaders.Split(';'))
        {
            if (signedHeaders[range].IsEmpty)
            {
                continue;
            }

            if (!first)
            {
                Append(';');
            }

            Append(signedHeaders[range]);
            first = false;
        }

        Append('\n');
    }

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = c;
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        if (_chars.Length - _length < text.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
    }

    public void AppendHexLower(scoped ReadOnlySpan<byte> bytes)
    {
        if (_chars.Length - _length < 2 * bytes.Length)
        {
            Grow(2 * bytes.Length);
        }

        Convert.TryToHexStringLower(bytes, _chars.AsSpan(_length), out var written);
        _length += written;
    }

    /// <summary>SHA-256 of the text's UTF-8.</summary>
    public readonly void Sha256(Span<byte> hash)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(_length));
        try
        {
            var count = Encoding.UTF8.GetBytes(_chars.AsSpan(0, _length), bytes);
            SHA256.HashData(bytes.AsSpan(0, count), hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>HMAC-SHA256 of the text's UTF-8 under <paramref name="key"/>.</summary>
    public readonly void HmacSha256(byte[] key, Span<byte> mac)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(_length));
        try
        {
            var count = Encoding.UTF8.GetBytes(_chars.AsSpan(0, _length), bytes);
            HMACSHA256.HashData(key, bytes.AsSpan(0, count), mac);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public override readonly string ToString() => new(_chars, 0, _length);

    public void Dispose()
    {
        if (_chars is not null)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = null!;
        }
    }

    /// <summary>
    /// Each path segment URI-encoded twice, as <see cref="SigV4.CanonicalPath"/> does (the path
    /// arrives decoded): per UTF-8 byte of the path, '/' stays, an unreserved character stays, any
    /// other byte becomes <c>%25XX</c> (its <c>%XX</c>, encoded again). 0x2F is only ever '/' in
    /// UTF-8, so encoding the path whole is encoding it segment by segment.
    /// </summary>
    private void AppendCanonicalPath(string path)
    {
        if (path.Length == 0)
        {
            Append('/');
            return;
        }

        if (!path.AsSpan().ContainsAnyExcept(PathKept))
        {
            Append(path);
            return;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(path.Length));
        try
        {
            var count = Encoding.UTF8.GetBytes(path, bytes);
            foreach (var b in bytes.AsSpan(0, count))
            {
                if (b == '/' || IsUnreserved(b))
                {
                    Append((char)b);
                }
                else
                {
                    Append("%25");
                    Append(HexUpper[b >> 4]);
                    Append(HexUpper[b & 0xF]);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// The query as <see cref="SigV4.CanonicalQuery"/> writes it: each name and value URI-encoded,
    /// sorted by name then value (ordinal), <c>name=value</c> joined with '&amp;'; a presigned
    /// URL's <c>X-Amz-Signature</c> left out. Only requests with a query come here, none of the hot reads.
    /// </summary>
    private void AppendCanonicalQuery(IReadOnlyList<KeyValuePair<string, string>> query, bool presigned)
    {
        if (query.Count == 0)
        {
            return;
        }

        var pairs = new List<(string Key, string Value)>(query.Count);
        for (var i = 0; i < query.Count; i++)
        {
            if (!presigned || query[i].Key != "X-Amz-Signature")
            {
                pairs.Add((SigV4.UriEncode(query[i].Key), SigV4.UriEncode(query[i].Value)));
            }
        }

        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key) is var byKey and not 0 ? byKey : string.CompareOrdinal(a.Value, b.Value));
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                Append('&');
            }

            Append(pairs[i].Key);
            Append('=');
            Append(pairs[i].Value);
        }
    }

    /// <summary>As <see cref="SigV4.CanonicalHeaderValue"/>: trimmed, runs of spaces collapsed into one.</summary>
    private void AppendHeaderValue(string value)
    {
        var space = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (c != ' ' || !space)
            {
                Append(c);
            }

            space = c == ' ';
        }
    }

    private void Grow(int needed)
    {
        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + needed));
        _chars.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<char>.Shared.Return(_chars);
        _chars = larger;
    }

    /// <summary>The header name as a string: one of the known ones, or a new string.</summary>
    private static string HeaderName(ReadOnlySpan<char> name)
    {
        foreach (var known in KnownHeaderNames)
        {
            if (name.SequenceEqual(known))
            {
                return known;
            }
        }

        return name.ToString();
    }

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';
}
