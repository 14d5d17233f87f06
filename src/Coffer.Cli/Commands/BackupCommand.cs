using System.CommandLine;
using Coffer.Core.Storage;
using Coffer.Server.Hosting;
using Coffer.Storage.Postgres;
using Coffer.Storage.Sqlite;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer backup</c> and <c>coffer restore</c>: a consistent snapshot of a store (SQLite or
/// PostgreSQL) in one file, and that file loaded into an empty installation of either kind. The file
/// holds only what the store holds, so it stays encrypted: the root key is not in it, and a restore
/// needs the data directory's root key (root.key or root.sealed) and audit.anchor, kept apart.
/// </summary>
internal static class BackupCommand
{
    private const string SqlitePrefix = "sqlite:";

    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var store = new Option<string?>("--store") { Description = "The store to back up when it is PostgreSQL (default: $COFFER_STORE); else the data directory's coffer.db.", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("COFFER_STORE") };
        var output = new Option<string>("--out") { Description = "The backup file to write.", Required = true };
        var command = new Command("backup", "Write a consistent snapshot of the store to a file; it stays encrypted (the root key is not in it).") { dataDir, store, output };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(() =>
        {
            var location = parse.GetValue(store);
            if (StoreFactory.IsPostgres(location) && StoreFactory.Check(location) is { } problem)
            {
                Console.Error.WriteLine($"coffer backup: {problem}");
                return Task.FromResult(2);
            }

            var export = StoreFactory.IsPostgres(location) ? PostgresExport.Read(location!) : SqliteExport.Read(parse.GetValue(dataDir)!);
            var path = parse.GetValue(output)!;
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                StoreBackupFile.Write(file, export);
            }

            Console.WriteLine($"Backed up {export.RowCount} rows in {export.Tables.Count} tables (schema version {export.SchemaVersion}) to {path}.");
            return Task.FromResult(0);
        }));
        return command;
    }

    public static Command CreateRestore()
    {
        var input = new Option<string>("--in") { Description = "The backup file.", Required = true };
        var to = new Option<string>("--to") { Description = "An empty installation: sqlite:DATA-DIR (a data directory with its root key but no coffer.db) or postgres://... (an empty database).", Required = true };
        var command = new Command("restore", "Load a backup into an empty installation.") { input, to };
        command.SetAction((parse, ct) => CommonOptions.RunAsync(() =>
        {
            var target = parse.GetValue(to)!;
            StoreExport export;
            try
            {
                using var file = File.OpenRead(parse.GetValue(input)!);
                export = StoreBackupFile.Read(file);
            }
            catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or KeyNotFoundException)
            {
                Console.Error.WriteLine($"coffer restore: not a Coffer backup: {e.Message}");
                return Task.FromResult(2);
            }

            try
            {
                if (StoreFactory.IsPostgres(target))
                {
                    PostgresImport.Load(target, export);
                }
                else if (target.StartsWith(SqlitePrefix, StringComparison.Ordinal))
                {
                    SqliteImport.Load(target[SqlitePrefix.Length..], export);
                }
                else
                {
                    Console.Error.WriteLine("coffer restore: --to must be sqlite:DATA-DIR or a postgres:// URL.");
                    return Task.FromResult(2);
                }
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"coffer restore: {e.Message}");
                return Task.FromResult(1);
            }

            Console.WriteLine($"Restored {export.RowCount} rows in {export.Tables.Count} tables (schema version {export.SchemaVersion}).");
            return Task.FromResult(0);
        }));
        return command;
    }
}
