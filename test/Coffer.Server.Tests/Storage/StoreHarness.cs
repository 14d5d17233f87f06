using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Core.Storage;
using Coffer.Server.Tests.Infrastructure;
using Coffer.Storage.Postgres;
using Coffer.Storage.Sqlite;

namespace Coffer.Server.Tests.Storage;

/// <summary>Opens stores of one kind for the contract tests: a fresh installation each time, as
/// many handles (nodes) on it as a test asks for, and one made by an older schema version.</summary>
public interface IStoreHarness
{
    /// <summary>Whether several stores may share one installation (several nodes).</summary>
    bool Shared { get; }

    /// <summary>A new, empty installation.</summary>
    Task<string> NewInstallationAsync();

    /// <summary>Opens a store on an installation, migrating it to the current schema.</summary>
    ICofferStore Open(string installation, AuditChainKeeper chain);

    /// <summary>Brings an installation to schema version <paramref name="version"/> only and runs <paramref name="sql"/> on it, as an older Coffer would have written.</summary>
    Task MakeAtVersionAsync(string installation, int version, string sql);

    /// <summary>A byte string as an SQL literal in this store's dialect.</summary>
    string Bytes(byte[] value);
}

public sealed class SqliteHarness : IStoreHarness, IDisposable
{
    private readonly List<DirectoryInfo> _dirs = [];

    public bool Shared => false;

    public Task<string> NewInstallationAsync()
    {
        var dir = Directory.CreateTempSubdirectory("coffer-contract-");
        _dirs.Add(dir);
        return Task.FromResult(dir.FullName);
    }

    public ICofferStore Open(string installation, AuditChainKeeper chain) => SqliteStore.OpenFile(installation, chain);

    public string Bytes(byte[] value) => $"X'{Convert.ToHexString(value)}'";

    public Task MakeAtVersionAsync(string installation, int version, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(installation, "coffer.db")};Pooling=False");
        connection.Open();
        Coffer.Storage.Sqlite.Migrator.Apply(connection, version);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var dir in _dirs)
        {
            dir.Delete(recursive: true);
        }
    }
}

public sealed class PostgresHarness : IStoreHarness, IAsyncLifetime
{
    private readonly PostgresServer _server = new();

    public bool Shared => true;

    public PostgresServer Server => _server;

    public Task<string> NewInstallationAsync() => _server.CreateDatabaseAsync();

    public ICofferStore Open(string installation, AuditChainKeeper chain) => PostgresStore.Open(installation, chain);

    public string Bytes(byte[] value) => $"'\\x{Convert.ToHexString(value)}'::bytea";

    public async Task MakeAtVersionAsync(string installation, int version, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(PostgresLocation.ToConnectionString(installation));
        await connection.OpenAsync();
        Coffer.Storage.Postgres.Migrator.Apply(connection, version);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    public Task InitializeAsync() => PostgresServer.Installed ? _server.InitializeAsync() : Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.Installed ? _server.DisposeAsync() : Task.CompletedTask;
}

/// <summary>An audit chain keeper opened with a fresh key, as a server has after unsealing.</summary>
internal static class TestChain
{
    public static AuditChainKeeper Open(RootKey root)
    {
        var keeper = new AuditChainKeeper(null);
        keeper.Open(AuditKeys.Derive(root), 1);
        return keeper;
    }
}
