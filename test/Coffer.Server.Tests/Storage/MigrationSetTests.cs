using Coffer.Storage.Postgres;
using Coffer.Storage.Sql;
using Coffer.Storage.Sqlite;

namespace Coffer.Server.Tests.Storage;

/// <summary>Each engine carries the same numbered migrations in its own dialect (issue 10): a migration
/// added to one and not translated for the other would leave that engine's schema behind.</summary>
public sealed class MigrationSetTests
{
    [Fact]
    public void SQLite_and_PostgreSQL_carry_the_same_migration_numbers()
    {
        var sqlite = MigrationScripts.In(typeof(SqliteStore).Assembly).Select(m => m.Name).ToList();
        var postgres = MigrationScripts.In(typeof(PostgresStore).Assembly).Select(m => m.Name).ToList();

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, postgres);
    }
}
