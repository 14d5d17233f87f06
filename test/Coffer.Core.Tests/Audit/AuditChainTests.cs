using Coffer.Core.Audit;

namespace Coffer.Core.Tests.Audit;

public sealed class AuditChainTests
{
    private static List<StoredAuditRecord> Chain(params string[] records)
    {
        var list = new List<StoredAuditRecord>();
        var previous = AuditChain.Genesis;
        foreach (var json in records)
        {
            var hash = AuditChain.Link(previous, json);
            list.Add(new StoredAuditRecord(list.Count + 1, json, previous, hash));
            previous = hash;
        }

        return list;
    }

    [Fact]
    public void An_intact_chain_verifies()
    {
        Assert.Null(AuditChain.FindFirstBreak(Chain("{\"a\":1}", "{\"b\":2}", "{\"c\":3}")));
    }

    [Fact]
    public void An_edited_record_breaks_the_chain_at_that_record()
    {
        var chain = Chain("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        chain[1] = chain[1] with { Json = "{\"b\":3}" };
        Assert.Equal(2, AuditChain.FindFirstBreak(chain));
    }

    [Fact]
    public void A_removed_record_breaks_the_chain()
    {
        var chain = Chain("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        chain.RemoveAt(1);
        Assert.Equal(2, AuditChain.FindFirstBreak(chain));
    }

    [Fact]
    public void A_rehashed_forgery_still_breaks_at_the_next_record()
    {
        var chain = Chain("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        var forged = "{\"b\":\"forged\"}";
        chain[1] = chain[1] with { Json = forged, Hash = AuditChain.Link(chain[0].Hash, forged) };
        Assert.Equal(3, AuditChain.FindFirstBreak(chain));
    }
}
