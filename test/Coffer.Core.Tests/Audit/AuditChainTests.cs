using Coffer.Core.Audit;
using Coffer.Core.Crypto;

namespace Coffer.Core.Tests.Audit;

public sealed class AuditChainTests : IDisposable
{
    private readonly RootKey _root = RootKey.Generate();
    private readonly AuditKeys _keys;

    public AuditChainTests() => _keys = AuditKeys.Derive(_root);

    [Fact]
    public void An_intact_keyed_chain_verifies()
    {
        var result = AuditChain.Verify(Chain(_keys, 1, "{\"a\":1}", "{\"b\":2}", "{\"c\":3}"), _keys, 1, null);
        Assert.Equal(AuditFinding.Intact, result.Finding);
        Assert.Equal(3, result.Records);
    }

    [Fact]
    public void An_edited_record_breaks_the_chain_at_that_record()
    {
        var chain = Chain(_keys, 1, "{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        chain[1] = chain[1] with { Json = "{\"b\":3}" };
        Assert.Equal(Broken(2), Find(chain, 1, null));
    }

    [Fact]
    public void A_removed_record_breaks_the_chain()
    {
        var chain = Chain(_keys, 1, "{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        chain.RemoveAt(1);
        Assert.Equal(Broken(2), Find(chain, 1, null));
    }

    [Fact]
    public void Swapped_records_break_the_chain()
    {
        var chain = Chain(_keys, 1, "{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        (chain[1], chain[2]) = (chain[2] with { Sequence = 2 }, chain[1] with { Sequence = 3 });
        Assert.Equal(Broken(2), Find(chain, 1, null));
    }

    [Fact]
    public void An_edit_with_every_later_link_recomputed_without_the_key_is_found_issue_8()
    {
        var chain = Chain(_keys, 1, "{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        // The attacker edits record 2 and re-links 2 and 3. They know the algorithm but not the
        // root key: the links are unkeyed, or keyed with a key of their own.
        using var otherKeys = AuditKeys.Derive(RootKey.Generate());
        Assert.Equal(Broken(2), Find(Extend(chain[..1], null, "{\"b\":\"forged\"}", chain[2].Json), 1, null));
        Assert.Equal(Broken(2), Find(Extend(chain[..1], otherKeys, "{\"b\":\"forged\"}", chain[2].Json), 1, null));
    }

    [Fact]
    public void Records_deleted_from_the_end_are_found_against_the_anchor_issue_8()
    {
        var chain = Chain(_keys, 1, "{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        var anchor = new AuditAnchor(1, 3, chain[2].Hash);
        Assert.Equal(AuditFinding.Intact, AuditChain.Verify(chain, _keys, 1, anchor).Finding);

        var truncated = AuditChain.Verify(chain.Take(1), _keys, 1, anchor);
        Assert.Equal((AuditFinding.Truncated, 1L), (truncated.Finding, truncated.Sequence));
        Assert.Contains("ends at record 1", truncated.Message, StringComparison.Ordinal);
        Assert.Equal(AuditFinding.Truncated, AuditChain.Verify([], _keys, 1, anchor).Finding);
    }

    [Fact]
    public void A_log_ahead_of_its_anchor_verifies_when_the_records_after_it_do()
    {
        var chain = Chain(_keys, 1, "{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        var anchor = new AuditAnchor(1, 1, chain[0].Hash);
        var result = AuditChain.Verify(chain, _keys, 1, anchor);
        Assert.Equal(AuditFinding.Intact, result.Finding);
        Assert.Contains("anchored at record 1 (the 2 after it verify", result.Message, StringComparison.Ordinal);

        // Checking from the anchor on, as the server does at start.
        Assert.Equal(AuditFinding.Intact, AuditChain.Verify(chain.Skip(0), _keys, 1, anchor, startAt: 1).Finding);
        Assert.Equal(AuditFinding.Intact, AuditChain.Verify(chain.Skip(1), _keys, 1, new AuditAnchor(1, 2, chain[1].Hash), startAt: 2).Finding);
    }

    [Fact]
    public void A_log_rewritten_past_its_anchor_diverges_from_it()
    {
        var original = Chain(_keys, 1, "{\"a\":1}", "{\"b\":2}");
        var anchor = new AuditAnchor(1, 2, original[1].Hash);

        // Even a writer with the key cannot replace the anchored record unnoticed.
        var rewritten = Chain(_keys, 1, "{\"a\":1}", "{\"b\":\"other\"}", "{\"c\":3}");
        Assert.Equal((AuditFinding.Diverged, 2L), Find(rewritten, 1, anchor));
    }

    [Fact]
    public void Unkeyed_records_before_keyed_from_verify_and_the_first_keyed_link_protects_them()
    {
        var legacy = Chain(null, 1, "{\"old\":1}", "{\"old\":2}");
        var chain = Extend(legacy, _keys, "{\"new\":3}");
        Assert.Equal(AuditFinding.Intact, AuditChain.Verify(chain, _keys, 3, null).Finding);

        // Rewriting an unkeyed record and recomputing the unkeyed links still breaks at the first keyed one.
        var forged = Chain(null, 1, "{\"old\":1}", "{\"old\":\"forged\"}");
        var spliced = forged.Append(chain[2] with { PreviousHash = forged[1].Hash }).ToList();
        Assert.Equal(Broken(3), Find(spliced, 3, null));
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("{\"eventName\":\"GetParameter\",\"name\":\"/app/caf\u00e9/\u2713/\ud834\udd1e\"}")]
    [InlineData("")]
    public void A_link_over_the_records_utf8_bytes_is_the_link_of_records_written_before_issue_11(string json)
    {
        // The link as it was defined when the records already in stores were written: HMAC-SHA256
        // under the HKDF-derived chain key, fed the sequence, the previous link and the JSON's UTF-8 in turn.
        var rootBytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        using var root = new RootKey(rootBytes);
        using var keys = AuditKeys.Derive(root);
        var chainKey = new byte[32];
        System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256, rootBytes, chainKey, salt: [], info: System.Text.Encoding.UTF8.GetBytes(AuditKeys.ChainInfo));
        var previous = Enumerable.Repeat((byte)0xA5, 32).ToArray();
        using var mac = System.Security.Cryptography.IncrementalHash.CreateHMAC(System.Security.Cryptography.HashAlgorithmName.SHA256, chainKey);
        mac.AppendData([0, 0, 0, 0, 0, 0, 1, 2]);
        mac.AppendData(previous);
        mac.AppendData(System.Text.Encoding.UTF8.GetBytes(json));
        var expected = mac.GetHashAndReset();

        Assert.Equal(expected, keys.Link(258, previous, System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal(expected, keys.Link(258, previous, json));
        Assert.NotEqual(expected, keys.Link(259, previous, json));
    }

    [Fact]
    public void An_entry_is_serialized_once_to_the_utf8_of_the_records_json_text_issue_11()
    {
        var record = new AuditRecord
        {
            UserIdentity = new AuditIdentity("IAMUser", "AIDAEXAMPLE", "arn:aws:iam::111122223333:user/zo\u00e9", "111122223333", "AKIAEXAMPLE", "zo\u00e9"),
            EventTime = DateTimeOffset.UnixEpoch.AddDays(20_000),
            EventSource = "ssm.amazonaws.com",
            EventName = "GetParameter",
            AwsRegion = "eu-west-1",
            RequestParameters = new System.Text.Json.Nodes.JsonObject { ["name"] = "/caf\u00e9/\ud834\udd1e", ["withDecryption"] = true },
            RequestId = "r-1",
            EventId = "e-1",
            ReadOnly = true,
            RecipientAccountId = "111122223333",
        };

        var entry = AuditEntry.From(record);

        // The text the record was serialized to before (and is read back as): the same bytes.
        var text = System.Text.Json.JsonSerializer.Serialize(record, AuditJson.Default.AuditRecord);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(text), entry.Utf8Json);
        Assert.Equal(text, entry.Json);
        Assert.Equal(_keys.Link(3, AuditChain.Genesis, text), _keys.Link(3, AuditChain.Genesis, entry.Utf8Json));
    }

    private (AuditFinding, long?) Find(IEnumerable<StoredAuditRecord> chain, long keyedFrom, AuditAnchor? anchor)
    {
        var result = AuditChain.Verify(chain, _keys, keyedFrom, anchor);
        return (result.Finding, result.Sequence);
    }

    private static (AuditFinding, long?) Broken(long at) => (AuditFinding.Broken, at);

    /// <summary>A chain linked with <paramref name="keys"/>, or unkeyed when null.</summary>
    internal static List<StoredAuditRecord> Chain(AuditKeys? keys, long first, params string[] records) => Extend([], keys, records);

    private static List<StoredAuditRecord> Extend(List<StoredAuditRecord> chain, AuditKeys? keys, params string[] records)
    {
        var list = new List<StoredAuditRecord>(chain);
        var previous = list.Count == 0 ? AuditChain.Genesis : list[^1].Hash;
        foreach (var json in records)
        {
            var sequence = list.Count + 1L;
            var hash = keys is null ? AuditChain.UnkeyedLink(previous, json) : keys.Link(sequence, previous, json);
            list.Add(new StoredAuditRecord(sequence, json, previous, hash));
            previous = hash;
        }

        return list;
    }

    public void Dispose()
    {
        _keys.Dispose();
        _root.Dispose();
    }
}
