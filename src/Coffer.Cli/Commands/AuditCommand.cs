using System.CommandLine;
using Coffer.Core.Audit;
using Coffer.Storage.Sqlite;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer audit verify</c>: checks the audit log's hash chain, so a removed or edited record shows.</summary>
internal static class AuditCommand
{
    private const int Page = 10_000;

    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var verify = new Command("verify", "Verify the audit log's hash chain in a data directory (works sealed or unsealed, beside a running server).") { dataDir };
        verify.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(dataDir)!;
            if (!File.Exists(Path.Combine(dir, "coffer.db")))
            {
                Console.Error.WriteLine($"{dir} has no Coffer database.");
                return 2;
            }

            await using var store = SqliteStore.OpenFile(dir);
            var count = 0L;
            var broken = AuditChain.FindFirstBreak(ReadAll(store, c => count = c));
            if (broken is { } sequence)
            {
                Console.Error.WriteLine($"The audit chain is broken at record {sequence}: a record was removed, reordered or edited at or before it.");
                return 1;
            }

            Console.WriteLine($"The audit chain is intact: {count} records.");
            return 0;
        });

        return new Command("audit", "Work with the audit log.") { verify };
    }

    private static IEnumerable<StoredAuditRecord> ReadAll(SqliteStore store, Action<long> counted)
    {
        long after = 0;
        while (true)
        {
            var page = store.Read(s => s.Audit.ReadAfter(after, Page));
            foreach (var record in page)
            {
                yield return record;
                after = record.Sequence;
                counted(after);
            }

            if (page.Count < Page)
            {
                yield break;
            }
        }
    }
}
