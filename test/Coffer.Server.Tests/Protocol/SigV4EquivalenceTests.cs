using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Coffer.Core;
using Coffer.Core.Crypto;
using Coffer.Core.Identity;
using Coffer.Core.Storage;
using Coffer.Fuzz.Targets;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Signing;
using Coffer.Storage.Sqlite;
using Microsoft.AspNetCore.Http;

namespace Coffer.Server.Tests.Protocol;

/// <summary>
/// Issue 11 rewrote <see cref="SigV4Verifier"/> to allocate little. These tests hold it to the
/// verifier it replaced (<see cref="LegacySigV4Verifier"/>, kept unchanged as the oracle): over
/// tricky requests (repeated headers, whitespace, case, duplicate and encoded query parameters,
/// encoded paths, odd Authorization headers, every refusal) and over the fuzzing corpus, both must
/// accept the same requests as the same caller, and refuse the same ones with the same code and
/// message; and the canonical request it hashes must be the text the signers build.
/// </summary>
public sealed class SigV4EquivalenceTests
{
    private const string AccountId = "111122223333";
    private const string SessionKeyId = "ASIAEQUIVEQUIVEQUIV1";
    private const string SessionSecret = "session/Secret/Key/For/Equivalence/012345";
    private const string SessionToken = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+session+token==";
    private const string ExpiredKeyId = "ASIAEQUIVEXPIRED0001";
    private const string InactiveKeyId = "AKIAEQUIVINACTIVE001";
    private const string OtherSecret = "other/Secret/Key/For/Equivalence/01234567";
    private const string Host = "127.0.0.1:8200";

    private static readonly DateTimeOffset Now = SigV4Target.Now;
    private static readonly Lazy<(SigV4Verifier Verifier, LegacySigV4Verifier Legacy)> Verifiers = new(Create);
    private static readonly Dictionary<string, Func<Built>> Cases = BuildCases();
    private static readonly string CorpusRoot = Path.Combine(ExternalClient.RepositoryRoot, "test", "Coffer.Fuzz", "corpus", "sigv4");

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    public static TheoryData<string> CorpusFiles() =>
        [.. Directory.GetFiles(CorpusRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => f!)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_verifier_answers_as_the_one_it_replaced(string name)
    {
        var built = Cases[name]();

        var expected = Outcome(() => Verifiers.Value.Legacy.Verify(built.Request, built.Body));
        var actual = await OutcomeAsync(() => Verifiers.Value.Verifier.VerifyAsync(built.Request, built.Body));

        Assert.Equal(expected, actual);
        if (name.StartsWith("ok ", StringComparison.Ordinal))
        {
            // The case is meant to get past every check, so that what it varies is what was signed.
            Assert.StartsWith("ok ", expected, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(expected.StartsWith("ok ", StringComparison.Ordinal), expected);
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void The_canonical_request_is_the_one_the_signers_build(string name)
    {
        var built = Cases[name]();
        foreach (var payloadHash in new[] { built.SignedPayloadHash, SigV4.UnsignedPayload })
        {
            var expected = LegacySigV4Verifier.CanonicalRequest(built.Request, built.Presigned, built.SignedHeaders, payloadHash);
            var actual = SigV4Verifier.CanonicalRequest(built.Request, built.Presigned, built.SignedHeaders.ToLowerInvariant(), payloadHash);

            Assert.Equal(expected, actual);
            Assert.Equal(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
        }
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task Fuzz_corpus_inputs_get_the_answers_they_got_before(string file)
    {
        var context = new DefaultHttpContext();
        if (!SigV4Target.TryBuild(File.ReadAllBytes(Path.Combine(CorpusRoot, file)), context.Request, out var body))
        {
            return;
        }

        var expected = Outcome(() => Verifiers.Value.Legacy.Verify(context.Request, body));
        var actual = await OutcomeAsync(() => Verifiers.Value.Verifier.VerifyAsync(context.Request, body));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Random_requests_signed_and_then_changed_get_the_answers_they_got_before()
    {
        var random = new Random(11);
        var accepted = 0;
        for (var i = 0; i < 600; i++)
        {
            var built = RandomCase(random);

            var expected = Outcome(() => Verifiers.Value.Legacy.Verify(built.Request, built.Body));
            var actual = await OutcomeAsync(() => Verifiers.Value.Verifier.VerifyAsync(built.Request, built.Body));
            Assert.True(expected == actual, $"request {i}: expected '{expected}', got '{actual}'");
            Assert.Equal(
                LegacySigV4Verifier.CanonicalRequest(built.Request, built.Presigned, built.SignedHeaders, built.SignedPayloadHash),
                SigV4Verifier.CanonicalRequest(built.Request, built.Presigned, built.SignedHeaders.ToLowerInvariant(), built.SignedPayloadHash));
            accepted += expected.StartsWith("ok ", StringComparison.Ordinal) ? 1 : 0;
        }

        // Most are signed as they are sent, so the signature check itself is compared, not only the refusals before it.
        Assert.InRange(accepted, 150, 600);
    }

    [Fact]
    public async Task A_signing_key_is_cached_only_once_it_has_verified_a_signature()
    {
        _ = Verifiers.Value;
        var credentials = new CredentialStore(Store.Value, Keys.Value);
        var verifier = new SigV4Verifier(credentials, new FixedClock(Now), new FixedClock(Now));
        var cache = (await credentials.FindAsync(SigV4Target.AccessKeyId))!.SigningKeys;

        var wrong = new Spec { Region = "eu-west-3", Secret = OtherSecret }.Build();
        await Assert.ThrowsAsync<CofferException>(async () => await verifier.VerifyAsync(wrong.Request, wrong.Body));
        Assert.False(cache.ContainsKey("20260101/eu-west-3/kms"));

        var right = new Spec { Region = "eu-west-3" }.Build();
        Assert.Equal("eu-west-3", (await verifier.VerifyAsync(right.Request, right.Body)).Region);
        Assert.True(cache.ContainsKey("20260101/eu-west-3/kms"));
        Assert.Equal("eu-west-3", (await verifier.VerifyAsync(right.Request, right.Body)).Region);
    }

    [Fact]
    public async Task A_request_signed_with_a_cached_key_is_verified_without_awaiting_and_one_with_a_key_read_from_the_store_as_before()
    {
        _ = Verifiers.Value;
        var credentials = new CredentialStore(Store.Value, Keys.Value);
        var verifier = new SigV4Verifier(credentials, new FixedClock(Now), new FixedClock(Now));
        var built = new Spec().Build();

        // Not cached yet: read from the store, then verified with what was read.
        var first = verifier.VerifyAsync(built.Request, built.Body);
        var expected = Outcome(() => Verifiers.Value.Legacy.Verify(built.Request, built.Body));
        Assert.Equal(expected, await OutcomeAsync(() => first));
        Assert.StartsWith("ok ", expected, StringComparison.Ordinal);

        // Cached now: the hot path completes at once, with the same answer.
        var again = verifier.VerifyAsync(built.Request, built.Body);
        Assert.True(again.IsCompletedSuccessfully);
        Assert.Equal(expected, await OutcomeAsync(() => again));

        // A key that does not exist is refused as before, after its read.
        var unknown = new Spec { KeyId = "AKIANOSUCHKEYNOSUCH1" }.Build();
        Assert.Equal(
            Outcome(() => Verifiers.Value.Legacy.Verify(unknown.Request, unknown.Body)),
            await OutcomeAsync(() => verifier.VerifyAsync(unknown.Request, unknown.Body)));
    }

    private static async Task<string> OutcomeAsync(Func<ValueTask<Authenticated>> verify)
    {
        try
        {
            var who = await verify();
            return $"ok {who.Principal.Arn} {who.Principal.AccessKeyId} {who.Principal.Type} {who.Region} {who.Service}";
        }
        catch (CofferException e)
        {
            return $"{e.Code}: {e.Message}";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static string Outcome(Func<Authenticated> verify)
    {
        try
        {
            var who = verify();
            return $"ok {who.Principal.Arn} {who.Principal.AccessKeyId} {who.Principal.Type} {who.Region} {who.Service}";
        }
        catch (CofferException e)
        {
            return $"{e.Code}: {e.Message}";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static readonly Lazy<SqliteStore> Store = new(() => SqliteStore.OpenMemory());
    private static readonly Lazy<Keyring> Keys = new(() =>
    {
        var keyring = new Keyring();
        keyring.Unseal(new RootKey([.. Enumerable.Range(0, 32).Select(i => (byte)i)]));
        return keyring;
    });

    private static (SigV4Verifier, LegacySigV4Verifier) Create()
    {
        ICofferStore store = Store.Value;
        var keyring = Keys.Value;
        DataDirectory.CreateRootAsync(store, keyring, AccountId, SigV4Target.AccessKeyId, SigV4Target.Secret, Now).GetAwaiter().GetResult();
        var credentials = new CredentialStore(store, keyring);
        var owner = $"arn:aws:iam::{AccountId}:user/alice";
        var session = credentials.Create("ASIA", AccountId, PrincipalType.IamUser, owner, "AIDAEQUIVALICE000001", "alice", Now, SessionKeyId, SessionSecret).Record
            with { SessionTokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(SessionToken)), Expiration = Now.AddHours(1) };
        var expired = credentials.Create("ASIA", AccountId, PrincipalType.IamUser, owner, "AIDAEQUIVALICE000001", "alice", Now, ExpiredKeyId, SessionSecret).Record
            with { SessionTokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(SessionToken)), Expiration = Now.AddSeconds(-1) };
        var inactive = credentials.Create("AKIA", AccountId, PrincipalType.IamUser, owner, "AIDAEQUIVALICE000001", "alice", Now, InactiveKeyId, SessionSecret).Record
            with { Status = "Inactive" };
        store.WriteAsync(async (s, ct) =>
        {
            await s.AccessKeys.InsertAsync(session, ct);
            await s.AccessKeys.InsertAsync(expired, ct);
            await s.AccessKeys.InsertAsync(inactive, ct);
            return true;
        }).GetAwaiter().GetResult();

        var clock = new FixedClock(Now);
        return (new SigV4Verifier(new CredentialStore(store, keyring), clock, clock), new LegacySigV4Verifier(new CredentialStore(store, keyring), clock, clock));
    }

    /// <summary>Named requests; those named "ok ..." must be accepted (by the old verifier, and so by the new).</summary>
    private static Dictionary<string, Func<Built>> BuildCases()
    {
        var cases = new Dictionary<string, Func<Built>>(StringComparer.Ordinal);
        void Add(string name, Func<Spec> spec) => cases.Add(name, () => spec().Build());

        // Accepted, each with something the canonical request must get right.
        Add("ok vanilla JSON post", () => new Spec());
        Add("ok signed header names in upper case", () => new Spec { SignedHeaders = "Host;X-Amz-Date;X-Amz-Target" });
        Add("ok signed header names unsorted and repeated", () => new Spec { SignedHeaders = "x-amz-target;host;x-amz-date;host" });
        Add("ok signed header names with empty entries", () => new Spec { SignedHeaders = ";host;;x-amz-date;x-amz-target;" });
        Add("ok a signed header that was not sent", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-target;x-not-sent" });
        Add("ok a repeated header", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-target;x-custom", Headers = [("X-Custom", "a"), ("X-Custom", " b "), ("x-custom", "c  d")] });
        Add("ok header values trimmed and spaces folded", () => new Spec { SignedHeaders = "content-type;host;x-amz-date;x-amz-target;x-custom", Headers = [("X-Custom", " \t a   b \t  c  "), ("Content-Type", "application/x-amz-json-1.1;   charset=utf-8")] });
        Add("ok a tab inside a value is kept", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-target;x-custom", Headers = [("X-Custom", "a\t\tb")] });
        Add("ok an empty header value", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-target;x-custom", Headers = [("X-Custom", "")] });
        Add("ok a non-ASCII header value", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-target;x-custom", Headers = [("X-Custom", "caf\u00e9 \u1234 \U0001F511")] });
        Add("ok a lone surrogate in a header value", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-target;x-custom", Headers = [("X-Custom", "a\ud800b\udc00")] });
        Add("ok a header signed under a name that lower-cases to it", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-target;\u212Aey", Headers = [("Key", "v")] });
        Add("ok a signed header name with a dotless i", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-target;\u0131d", Headers = [("Id", "v")] });
        Add("ok x-amz-* headers in mixed case", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-meta-one;x-amz-target", Headers = [("X-AMZ-META-ONE", "1")] });
        Add("ok the path with spaces and unicode", () => new Spec { Path = "/example space/\u1234/caf\u00e9/" });
        Add("ok the path with reserved characters", () => new Spec { Path = "/a+b/c=d/%2F/~x_y-z.w/!*'()" });
        Add("ok the path with empty segments", () => new Spec { Path = "//a//" });
        Add("ok the path with a lone surrogate", () => new Spec { Path = "/a\ud800/b" });
        Add("ok a query with repeated and unsorted parameters", () => new Spec { Method = "GET", Body = "", Query = "b=2&a=3&a=1&B=0&a=1" });
        Add("ok a query with encoded and unencoded characters", () => new Spec { Method = "GET", Body = "", Query = "k%20y=v%2Fw&plus=a+b&tilde=~&star=*&utf=%E1%88%B4&raw=\u00e9" });
        Add("ok a query with empty values and names without '='", () => new Spec { Method = "GET", Body = "", Query = "empty=&bare&&=v&x==y" });
        Add("ok a query with bad escapes", () => new Spec { Method = "GET", Body = "", Query = "bad=%zz&half=%4&utf=%C3%28&pct=%" });
        Add("ok a query string of only '?'", () => new Spec { Method = "GET", Body = "", Query = "" });
        Add("ok payload hash declared in upper case", () => new Spec { DeclaredPayloadHash = Hash("{}").ToUpperInvariant(), SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-target" });
        Add("ok payload hash declared in lower case", () => new Spec { DeclaredPayloadHash = Hash("{}"), SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-target" });
        Add("ok signature in upper case", () => new Spec { Authorization = a => a.Replace(SignatureOf(a), SignatureOf(a).ToUpperInvariant(), StringComparison.Ordinal) });
        Add("ok Authorization fields reordered, spaced and repeated", () => new Spec
        {
            Authorization = a => $"{SigV4.Algorithm}   Signature=0000 ,\tSignature = {SignatureOf(a)} , SignedHeaders={Field(a, "SignedHeaders")},Credential= {Field(a, "Credential")}  ,Extra=1,noequals",
        });
        Add("ok the Date header instead of X-Amz-Date", () => new Spec { UseDateHeader = true, SignedHeaders = "date;host;x-amz-target" });
        Add("ok signed four minutes and 59 seconds ago", () => new Spec { At = Now.AddSeconds(-299) });
        Add("ok signed exactly five minutes ahead", () => new Spec { At = Now.AddMinutes(5) });
        Add("ok a session key with its token", () => new Spec { KeyId = SessionKeyId, Secret = SessionSecret, Token = SessionToken, SignedHeaders = "host;x-amz-date;x-amz-security-token;x-amz-target" });
        Add("ok another region and service", () => new Spec { Region = "eu-central-1", Service = "secretsmanager" });
        Add("ok a non-ASCII region", () => new Spec { Region = "r\u00e9gion-\ud800" });
        Add("ok presigned, empty body's hash", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", Query = "Action=GetCallerIdentity&Version=2011-06-15" });
        Add("ok presigned, UNSIGNED-PAYLOAD", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", Query = "Action=GetCallerIdentity&Version=2011-06-15", PresignUnsigned = true });
        Add("ok presigned with a target header signed", () => new Spec { Presigned = true, Body = "", SignedHeaders = "host;x-amz-target" });
        Add("ok presigned with repeated parameters", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", Query = "z=1&a=2&a=1&X-Amz-Signaturex=1" });
        Add("ok presigned with a session token in the query", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", KeyId = SessionKeyId, Secret = SessionSecret, Token = SessionToken, TokenInQuery = true });
        Add("ok presigned with the longest expiry", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", Expires = "604800", At = Now.AddDays(-6) });

        // Refused, each for one reason, with AWS's code and message.
        Add("no Authorization header", () => new Spec { Authorization = _ => "" });
        Add("another algorithm", () => new Spec { Authorization = a => a.Replace(SigV4.Algorithm, "AWS4-ECDSA-P256-SHA256", StringComparison.Ordinal) });
        Add("the algorithm without a space", () => new Spec { Authorization = a => a.Replace(SigV4.Algorithm + " ", SigV4.Algorithm + ",", StringComparison.Ordinal) });
        Add("field names in lower case", () => new Spec { Authorization = a => a.Replace("Credential=", "credential=", StringComparison.Ordinal).Replace("Signature=", "signature=", StringComparison.Ordinal) });
        Add("no SignedHeaders field", () => new Spec { Authorization = a => a.Replace("SignedHeaders=", "Signed=", StringComparison.Ordinal) });
        Add("a credential of four elements", () => new Spec { Authorization = a => a.Replace("/aws4_request", "", StringComparison.Ordinal) });
        Add("a credential of six elements", () => new Spec { Authorization = a => a.Replace("/aws4_request", "/x/aws4_request", StringComparison.Ordinal) });
        Add("a credential with an empty region", () => new Spec { Region = "" });
        Add("a credential with an empty key id", () => new Spec { KeyId = "" });
        Add("a credential with another terminator", () => new Spec { Authorization = a => a.Replace("/aws4_request", "/aws4_requesT", StringComparison.Ordinal) });
        Add("host not signed", () => new Spec { SignedHeaders = "x-amz-date;x-amz-target" });
        Add("host signed in a dotless form", () => new Spec { SignedHeaders = "ho\u017Ft;x-amz-date;x-amz-target" });
        Add("no date header", () => new Spec { NoDate = true, SignedHeaders = "host;x-amz-target" });
        Add("an unparsable X-Amz-Date", () => new Spec { AmzDateOverride = "2026-01-01T12:00:00Z" });
        Add("an empty X-Amz-Date", () => new Spec { AmzDateOverride = "" });
        Add("the date not signed", () => new Spec { SignedHeaders = "host;x-amz-target" });
        Add("the Date header not signed", () => new Spec { UseDateHeader = true, SignedHeaders = "host;x-amz-target" });
        Add("an x-amz-* header not signed", () => new Spec { Headers = [("X-Amz-Meta-Unsigned", "1")] });
        Add("a long x-amz-* header name not signed", () => new Spec { Headers = [("X-Amz-" + new string('L', 100), "1")] });
        Add("signed five minutes and a second ago", () => new Spec { At = Now.AddSeconds(-301) });
        Add("signed five minutes and a second ahead", () => new Spec { At = Now.AddSeconds(301) });
        Add("the scope's date is another day", () => new Spec { ScopeDate = "20251231" });
        Add("an unknown key", () => new Spec { KeyId = "AKIAUNKNOWNUNKNOWN00" });
        Add("an inactive key", () => new Spec { KeyId = InactiveKeyId, Secret = SessionSecret });
        Add("a session key without its token", () => new Spec { KeyId = SessionKeyId, Secret = SessionSecret });
        Add("a session key with another token", () => new Spec { KeyId = SessionKeyId, Secret = SessionSecret, Token = SessionToken + "x", SignedHeaders = "host;x-amz-date;x-amz-security-token;x-amz-target" });
        Add("a session key with its token unsigned", () => new Spec { KeyId = SessionKeyId, Secret = SessionSecret, Token = SessionToken });
        Add("an expired session", () => new Spec { KeyId = ExpiredKeyId, Secret = SessionSecret, Token = SessionToken, SignedHeaders = "host;x-amz-date;x-amz-security-token;x-amz-target" });
        Add("a token on a long-term key", () => new Spec { Token = SessionToken, SignedHeaders = "host;x-amz-date;x-amz-security-token;x-amz-target" });
        Add("UNSIGNED-PAYLOAD on a header-signed request", () => new Spec { DeclaredPayloadHash = SigV4.UnsignedPayload, SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-target" });
        Add("a STREAMING- payload", () => new Spec { DeclaredPayloadHash = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-target" });
        Add("a declared payload hash of another body", () => new Spec { DeclaredPayloadHash = Hash("{ }"), SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-target" });
        Add("a declared payload hash one digit short", () => new Spec { DeclaredPayloadHash = Hash("{}")[1..], SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-target" });
        Add("a declared payload hash with a space", () => new Spec { DeclaredPayloadHash = " " + Hash("{}")[1..], SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-target" });
        Add("the wrong secret", () => new Spec { Secret = OtherSecret });
        Add("the body changed", () => new Spec { ChangeBody = "{\"x\":1}" });
        Add("a signed header changed", () => new Spec { After = r => r.Headers["X-Amz-Target"] = "TrentService.CreateKey" });
        Add("a signed header repeated after signing", () => new Spec { After = r => r.Headers.Append("X-Amz-Target", "TrentService.CreateKey") });
        Add("a signed header's spaces changed", () => new Spec { SignedHeaders = "host;x-amz-date;x-amz-target;x-custom", Headers = [("X-Custom", "a b")], After = r => r.Headers["X-Custom"] = "a\tb" });
        Add("the path changed", () => new Spec { After = r => r.Path = "/other" });
        Add("the method changed", () => new Spec { After = r => r.Method = "PUT" });
        Add("a query parameter added", () => new Spec { After = r => r.QueryString = new QueryString("?x=1") });
        Add("a query parameter's encoding changed", () => new Spec { Method = "GET", Body = "", Query = "a=b%20c", After = r => r.QueryString = new QueryString("?a=b+c") });
        Add("the signature one digit short", () => new Spec { Authorization = a => a[..^1] });
        Add("the signature one digit long", () => new Spec { Authorization = a => a + "0" });
        Add("the signature not hex", () => new Spec { Authorization = a => a[..^1] + "g" });
        Add("the signature with a non-ASCII digit", () => new Spec { Authorization = a => a[..^1] + "\u0661" });
        Add("the signature empty", () => new Spec { Authorization = a => a.Replace(SignatureOf(a), "", StringComparison.Ordinal) });
        Add("presigned with a body", () => new Spec { Presigned = true, Body = "", SignedHeaders = "host;x-amz-target", ChangeBody = "{}" });
        Add("presigned and expired", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", Expires = "60", At = Now.AddSeconds(-61) });
        Add("presigned in the future", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", At = Now.AddSeconds(301) });
        Add("presigned with an expiry of 0", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", Expires = "0" });
        Add("presigned with an expiry past a week", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", Expires = "604801" });
        Add("presigned with an expiry that is no number", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", Expires = "1e3" });
        Add("presigned with another algorithm", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", After = r => r.QueryString = new QueryString(r.QueryString.Value!.Replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", StringComparison.Ordinal)) });
        Add("presigned without a credential or date", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", After = r => r.QueryString = new QueryString(r.QueryString.Value!.Replace("X-Amz-Credential=", "X-Amz-Cred=", StringComparison.Ordinal).Replace("X-Amz-Date=", "X-Amz-Dat=", StringComparison.Ordinal)) });
        Add("presigned with an unsigned x-amz-* header", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", Headers = [("X-Amz-Target", "TrentService.CreateKey")] });
        Add("presigned with a parameter added", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", After = r => r.QueryString = new QueryString(r.QueryString.Value + "&Action=GetSessionToken") });
        Add("ok presigned with a second signature after its own (the first is read, neither is signed)", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", After = r => r.QueryString = new QueryString(r.QueryString.Value + "&X-Amz-Signature=00") });
        Add("presigned with the signature first of two", () => new Spec { Presigned = true, Method = "GET", Body = "", SignedHeaders = "host", After = r => r.QueryString = new QueryString("?X-Amz-Signature=00&" + r.QueryString.Value![1..]) });
        return cases;
    }

    /// <summary>A request of random tricky parts, signed as the signers sign it, and sometimes changed after.</summary>
    private static Built RandomCase(Random random)
    {
        T Pick<T>(params T[] items) => items[random.Next(items.Length)];
        var headers = new List<(string, string)>();
        var signed = new List<string> { Pick("host", "Host", "HOST"), Pick("x-amz-date", "X-Amz-Date"), "x-amz-target" };
        for (var n = random.Next(4); n > 0; n--)
        {
            var name = Pick("X-Custom", "x-custom", "X-Amz-Meta-A", "x-amz-meta-b", "Content-Type", "X-Other", "User-Agent");
            headers.Add((name, Pick("", " a ", "a  b", "a\tb", "  lead", "trail  ", "x,y", "caf\u00e9", "\u00a0nbsp\u00a0", "a \t b", "\U0001F511")));
            if (random.Next(4) > 0)
            {
                signed.Add(Pick(name, name.ToLowerInvariant(), name.ToUpperInvariant()));
            }
        }

        if (random.Next(5) == 0)
        {
            signed.Add(signed[random.Next(signed.Count)]);
        }

        var order = random.Next(3);
        List<string> names = order == 0 ? signed : order == 1 ? [.. signed.OrderBy(s => s.ToLowerInvariant(), StringComparer.Ordinal)] : [.. signed.OrderBy(_ => random.Next())];
        var get = random.Next(3) == 0;
        var spec = new Spec
        {
            Method = get ? "GET" : "POST",
            Body = get ? "" : Pick("{}", "{\"KeyId\":\"alias/x\"}", ""),
            Path = Pick("/", "/", "/a b", "/\u1234", "//", "/x/%2F/y", "/a+b=c"),
            Query = random.Next(2) == 0 ? null : string.Join('&', Enumerable.Range(0, random.Next(1, 5)).Select(_ => Pick("a=1", "a=2", "b=", "c", "A=1", "k%20y=v", "p=a+b", "u=%E1%88%B4", "bad=%zz", "e=\u00e9", "=x", "a=1"))),
            Headers = [.. headers],
            SignedHeaders = string.Join(Pick(";", ";", ";;"), names) + Pick("", "", ";"),
            DeclaredPayloadHash = random.Next(6) == 0 ? "" : null,
            Presigned = random.Next(5) == 0,
        };
        if (spec.Presigned)
        {
            spec.Body = "";
            spec.PresignUnsigned = random.Next(2) == 0;
        }

        if (spec.DeclaredPayloadHash is not null)
        {
            spec.DeclaredPayloadHash = random.Next(2) == 0 ? Hash(spec.Body).ToUpperInvariant() : Hash(spec.Body);
            spec.SignedHeaders += ";x-amz-content-sha256";
        }

        spec.After = random.Next(6) switch
        {
            0 => r => r.Headers.Append(Pick("X-Custom", "X-Amz-Target", "X-Other"), Pick("z", " z ", "")),
            1 => r => r.Headers.Remove(Pick("X-Custom", "Content-Type", "X-Amz-Meta-A")),
            _ => null,
        };
        return spec.Build();
    }

    private static string Hash(string body) => SigV4.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    private static string SignatureOf(string authorization) => authorization[(authorization.LastIndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..];

    private static string Field(string authorization, string name)
    {
        var start = authorization.IndexOf(name + "=", StringComparison.Ordinal) + name.Length + 1;
        var end = authorization.IndexOf(',', start);
        return authorization[start..(end < 0 ? authorization.Length : end)];
    }

    /// <summary>A request, what it was signed over, and whether it is presigned.</summary>
    private sealed record Built(HttpRequest Request, byte[] Body, bool Presigned, string SignedHeaders, string SignedPayloadHash);

    /// <summary>A request to build and sign with the old canonical request (the signers'), then change.</summary>
    private sealed class Spec
    {
        public string Method { get; set; } = "POST";
        public string Path { get; set; } = "/";
        public string? Query { get; set; }
        public string Body { get; set; } = "{}";
        public (string Name, string Value)[] Headers { get; set; } = [];
        public string SignedHeaders { get; set; } = "host;x-amz-date;x-amz-target";
        public string KeyId { get; set; } = SigV4Target.AccessKeyId;
        public string Secret { get; set; } = SigV4Target.Secret;
        public string? Token { get; set; }
        public bool TokenInQuery { get; set; }
        public string Region { get; set; } = "us-east-1";
        public string Service { get; set; } = "kms";
        public string? ScopeDate { get; set; }
        public DateTimeOffset At { get; set; } = Now;
        public string? AmzDateOverride { get; set; }
        public bool UseDateHeader { get; set; }
        public bool NoDate { get; set; }
        public string? DeclaredPayloadHash { get; set; }
        public bool Presigned { get; set; }
        public bool PresignUnsigned { get; set; }
        public string? Expires { get; set; }
        public Func<string, string>? Authorization { get; set; }
        public string? ChangeBody { get; set; }
        public Action<HttpRequest>? After { get; set; }

        public Built Build()
        {
            var amzDate = SigV4.FormatDate(At);
            var scope = SigV4.Scope(ScopeDate ?? amzDate[..8], Region, Service);
            var request = new DefaultHttpContext().Request;
            request.Method = Method;
            request.Path = new PathString(Path);
            request.Headers.Host = Host;
            if (!Presigned || SignedHeaders.Contains("x-amz-target", StringComparison.OrdinalIgnoreCase))
            {
                // A presigned GET sends no target: an unsigned one would be refused first.
                request.Headers["X-Amz-Target"] = "TrentService.ListKeys";
            }
            request.Headers.ContentType = "application/x-amz-json-1.1";
            if (!NoDate && !Presigned)
            {
                if (UseDateHeader)
                {
                    request.Headers.Date = At.ToString("R", CultureInfo.InvariantCulture);
                }
                else
                {
                    request.Headers["X-Amz-Date"] = AmzDateOverride ?? amzDate;
                }
            }

            if (Token is not null && !TokenInQuery)
            {
                request.Headers["X-Amz-Security-Token"] = Token;
            }

            if (DeclaredPayloadHash is not null)
            {
                request.Headers["X-Amz-Content-Sha256"] = DeclaredPayloadHash;
            }

            foreach (var (name, value) in Headers)
            {
                request.Headers.Append(name, value);
            }

            var query = Query;
            if (Presigned)
            {
                var parameters = new List<string>
                {
                    "X-Amz-Algorithm=" + SigV4.Algorithm,
                    "X-Amz-Credential=" + SigV4.UriEncode(KeyId + "/" + scope),
                    "X-Amz-Date=" + amzDate,
                    "X-Amz-SignedHeaders=" + SigV4.UriEncode(SignedHeaders),
                };
                if (Expires is not null)
                {
                    parameters.Add("X-Amz-Expires=" + Expires);
                }

                if (Token is not null && TokenInQuery)
                {
                    parameters.Add("X-Amz-Security-Token=" + SigV4.UriEncode(Token));
                }

                query = string.Join('&', (Query is null ? [] : new[] { Query }).Concat(parameters));
            }

            if (query is not null)
            {
                request.QueryString = new QueryString("?" + query);
            }

            var payloadHash = Presigned ? (PresignUnsigned ? SigV4.UnsignedPayload : SigV4.EmptyPayloadHash) : DeclaredPayloadHash ?? Hash(Body);
            var canonical = LegacySigV4Verifier.CanonicalRequest(request, Presigned, SignedHeaders, payloadHash);
            var key = SigV4.SigningKey(Encoding.UTF8.GetBytes(Secret), ScopeDate ?? amzDate[..8], Region, Service);
            var signature = SigV4.Signature(key, SigV4.StringToSign(AmzDateOverride ?? amzDate, scope, canonical));
            if (Presigned)
            {
                request.QueryString = new QueryString(request.QueryString.Value + "&X-Amz-Signature=" + signature);
            }
            else
            {
                var authorization = $"{SigV4.Algorithm} Credential={KeyId}/{scope}, SignedHeaders={SignedHeaders}, Signature={signature}";
                request.Headers.Authorization = Authorization?.Invoke(authorization) ?? authorization;
            }

            After?.Invoke(request);
            return new Built(request, Encoding.UTF8.GetBytes(ChangeBody ?? Body), Presigned, SignedHeaders, payloadHash);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
