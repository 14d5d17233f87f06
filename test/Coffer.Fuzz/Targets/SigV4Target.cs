using System.Text;
using Coffer.Core;
using Coffer.Core.Crypto;
using Coffer.Core.Identity;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Coffer.Storage.Sqlite;
using Microsoft.AspNetCore.Http;

namespace Coffer.Fuzz.Targets;

/// <summary>
/// The SigV4 verifier on a request built with <see cref="DefaultHttpContext"/>: the Authorization
/// header or the presigned query, dates, the credential scope, the session token, the payload hash
/// and the signature, against one known access key at a fixed clock. Input, as HTTP/1.1 without
/// the version: <c>METHOD /path?query</c>, header lines <c>Name: value</c>, an empty line, the body.
/// Expected refusal: <see cref="CofferException"/>.
/// </summary>
public static class SigV4Target
{
    public const string AccessKeyId = "AKIAFUZZFUZZFUZZFUZZ";
    public const string Secret = "fuzz/Secret/Key/For/Coffer/Fuzzing/0123456";
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<SigV4Verifier> Verifier = new(Create);

    public static void Run(byte[] data) => Authenticate(data);

    /// <summary>Who the request authenticates as, or null when it is refused (or is no HTTP request).</summary>
    public static Authenticated? Authenticate(byte[] data)
    {
        var context = new DefaultHttpContext();
        if (!TryBuild(data, context.Request, out var body))
        {
            return null;
        }

        try
        {
            // The harness is synchronous; the known key is cached after the first input, so this seldom waits.
            return Verifier.Value.VerifyAsync(context.Request, body).AsTask().GetAwaiter().GetResult();
        }
        catch (CofferException)
        {
            // An AWS-shaped 400/403.
            return null;
        }
    }

    /// <summary>Fills the request as Kestrel would have: a path that starts with '/', decoded; header names that are tokens.</summary>
    internal static bool TryBuild(byte[] data, HttpRequest request, out byte[] body)
    {
        var end = IndexOf(data, "\r\n\r\n"u8, out var separator);
        var lfEnd = IndexOf(data, "\n\n"u8, out var lfSeparator);
        if (lfEnd >= 0 && (end < 0 || lfEnd < end))
        {
            (end, separator) = (lfEnd, lfSeparator);
        }

        body = end < 0 ? [] : data[(end + separator)..];
        var head = Encoding.UTF8.GetString(end < 0 ? data : data[..end]).Split('\n');
        var requestLine = head[0].TrimEnd('\r').Split(' ', 2);
        if (requestLine.Length != 2 || requestLine[0].Length == 0 || !requestLine[0].All(char.IsAsciiLetterUpper))
        {
            return false;
        }

        request.Method = requestLine[0];
        var target = requestLine[1];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        try
        {
            request.Path = PathString.FromUriComponent(path.StartsWith('/') ? path : "/" + path);
        }
        catch (InvalidOperationException)
        {
            return false; // "%00" in the path: Kestrel answers 400 before any middleware runs.
        }

        if (question >= 0)
        {
            request.QueryString = new QueryString(target[question..]);
        }

        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line[..colon].All(IsTokenChar))
            {
                return false;
            }

            request.Headers.Append(line[..colon], line[(colon + 1)..].Trim(' ', '\t', '\r'));
        }

        return true;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> value, out int length)
    {
        length = value.Length;
        return data.AsSpan().IndexOf(value);
    }

    private static SigV4Verifier Create()
    {
        var keyring = new Keyring();
        keyring.Unseal(new RootKey([.. Enumerable.Range(0, 32).Select(i => (byte)i)]));
        var store = SqliteStore.OpenMemory();
        DataDirectory.CreateRootAsync(store, keyring, "111122223333", AccessKeyId, Secret, Now).GetAwaiter().GetResult();
        var clock = new FixedClock(Now);
        return new SigV4Verifier(new CredentialStore(store, keyring), clock, clock);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
