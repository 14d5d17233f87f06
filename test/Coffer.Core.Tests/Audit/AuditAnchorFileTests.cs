using System.Text.Json.Nodes;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;

namespace Coffer.Core.Tests.Audit;

public sealed class AuditAnchorFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("coffer-anchor-").FullName;
    private readonly RootKey _root = RootKey.Generate();

    [Fact]
    public void An_anchor_reads_back_as_written()
    {
        using var keys = AuditKeys.Derive(_root);
        var head = new byte[32];
        head[0] = 7;
        AuditAnchorFile.Write(_dir, keys, new AuditAnchor(5, 42, head));

        var (status, anchor) = AuditAnchorFile.Read(_dir, keys);
        Assert.Equal(AnchorStatus.Valid, status);
        Assert.Equal((5L, 42L), (anchor!.KeyedFrom, anchor.Sequence));
        Assert.Equal(head, anchor.Head);
        Assert.False(File.Exists(AuditAnchorFile.PathIn(_dir) + ".tmp"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(AuditAnchorFile.PathIn(_dir)));
        }
    }

    [Fact]
    public void A_missing_anchor_reads_as_missing()
    {
        using var keys = AuditKeys.Derive(_root);
        Assert.Equal(AnchorStatus.Missing, AuditAnchorFile.Read(_dir, keys).Status);
    }

    [Theory]
    [InlineData("sequence", 41)]
    [InlineData("keyedFrom", 1)]
    public void An_edited_anchor_does_not_verify(string field, long value)
    {
        using var keys = AuditKeys.Derive(_root);
        AuditAnchorFile.Write(_dir, keys, new AuditAnchor(5, 42, new byte[32]));
        var doc = JsonNode.Parse(File.ReadAllText(AuditAnchorFile.PathIn(_dir)))!;
        doc[field] = value;
        File.WriteAllText(AuditAnchorFile.PathIn(_dir), doc.ToJsonString());
        Assert.Equal(AnchorStatus.Invalid, AuditAnchorFile.Read(_dir, keys).Status);
    }

    [Fact]
    public void An_anchor_made_under_another_root_key_or_garbage_does_not_verify()
    {
        using var keys = AuditKeys.Derive(_root);
        using (var other = AuditKeys.Derive(RootKey.Generate()))
        {
            AuditAnchorFile.Write(_dir, other, new AuditAnchor(1, 3, new byte[32]));
        }

        Assert.Equal(AnchorStatus.Invalid, AuditAnchorFile.Read(_dir, keys).Status);
        File.WriteAllText(AuditAnchorFile.PathIn(_dir), "\u0000garbage{");
        Assert.Equal(AnchorStatus.Invalid, AuditAnchorFile.Read(_dir, keys).Status);
    }

    public void Dispose()
    {
        _root.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
