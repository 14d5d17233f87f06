using System.CommandLine;
using Coffer.Server.Hosting;
using Coffer.Storage.Postgres;
using Coffer.Storage.Sqlite;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer migrate --from sqlite:PATH --to postgres://...</c>: moves an installation's state (keys,
/// values, history, audit log) from a data directory's coffer.db into an empty PostgreSQL database.
/// Everything secret in it stays wrapped by the root key, which stays in the data directory: start
/// the server afterwards with the same data directory and <c>--store</c> set to the database.
/// </summary>
internal static class MigrateCommand
{
    private const string SqlitePrefix = "sqlite:";

    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The installation to move: sqlite:DATA-DIR (its server stopped).", Required = true };
        var to = new Option<string>("--to") { Description = "An empty PostgreSQL database: postgres://user:password@host:port/database.", Required = true };
        var command = new Command("migrate", "Move an installation from SQLite to PostgreSQL: keys, values, history and the audit log.") { from, to };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(() =>
        {
            var source = parse.GetValue(from)!;
            var target = parse.GetValue(to)!;
            if (!source.StartsWith(SqlitePrefix, StringComparison.Ordinal) || !StoreFactory.IsPostgres(target) || StoreFactory.Check(target) is not null)
            {
                Console.Error.WriteLine("coffer migrate: --from must be sqlite:DATA-DIR and --to a postgres:// URL.");
                return Task.FromResult(2);
            }

            var dataDir = source[SqlitePrefix.Length..];
            if (!File.Exists(Path.Combine(dataDir, "coffer.db")))
            {
                Console.Error.WriteLine($"coffer migrate: {dataDir} holds no coffer.db.");
                return Task.FromResult(2);
            }

            // A running server could write after the snapshot; its data directory lock says whether one runs.
            DataDirectoryLock.ThrowIfHeld(dataDir);
            try
            {
                var export = SqliteExport.Read(dataDir);
                PostgresImport.Load(target, export);
                Console.WriteLine($"Moved {export.RowCount} rows in {export.Tables.Count} tables (schema version {export.SchemaVersion}) to {PostgresLocation.Redact(target)}.");
                Console.WriteLine($"Start the server with: coffer server --data-dir {dataDir} --store <the same URL>");
                return Task.FromResult(0);
            }
            catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
            {
                Console.Error.WriteLine($"coffer migrate: {e.Message}");
                return Task.FromResult(1);
            }
        }));
        return command;
    }
}
