using Coffer.Core.Crypto;
using Coffer.Core.Parameters;
using Coffer.Core.Storage;
using Coffer.Storage.Sqlite;

namespace Coffer.Server.Tests.Storage;

/// <summary>The per-tier parameter counts are derived rows (migration 0017's triggers): a restore
/// leaves the backup's out and lets the triggers make them, instead of counting every parameter twice.</summary>
public sealed class ParameterCountTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coffer-counts-");

    [Fact]
    public async Task A_restored_installation_counts_each_parameter_once()
    {
        var source = Path.Combine(_dir.FullName, "source");
        Directory.CreateDirectory(source);
        using var root = RootKey.Generate();
        await using (var store = SqliteStore.OpenFile(source, TestChain.Open(root)))
        {
            await store.WriteAsync(async (s, ct) =>
            {
                foreach (var (name, tier) in new[] { ("/a", "Standard"), ("/b", "Standard"), ("/c", "Advanced") })
                {
                    await s.Parameters.SaveAsync(new Parameter { AccountId = "111122223333", Region = "us-east-1", Current = new ParameterVersion { Name = name, Version = 1, Type = "String", Value = "v", Tier = tier, DataType = "text", LastModifiedDate = DateTimeOffset.UnixEpoch, LastModifiedUser = "arn:aws:iam::111122223333:root" } }, ct);
                }

                return true;
            });
        }

        var export = SqliteExport.Read(source);
        Assert.Contains(export.Tables, t => t.Name == "ssm_parameter_counts" && t.Rows.Count == 2);
        var restored = Path.Combine(_dir.FullName, "restored");
        SqliteImport.Load(restored, export);

        await using var back = SqliteStore.OpenFile(restored, TestChain.Open(root));
        var counts = await back.ReadAsync(async (s, ct) => (
            await s.Parameters.CountInTierAsync("111122223333", "us-east-1", "Standard", ct),
            await s.Parameters.CountInTierAsync("111122223333", "us-east-1", "Advanced", ct)));
        Assert.Equal((2L, 1L), counts);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
