using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>
/// Puts the database in incremental auto-vacuum mode, so pages freed by deleting archived audit
/// records can be given back to the file system (<c>PRAGMA incremental_vacuum</c>) and the file
/// shrinks instead of keeping its high-water mark (issue 9). A new database takes the mode before
/// its first table; an existing one is rebuilt once with <c>VACUUM</c>, which takes a while on a
/// large file and needs as much free disk again.
/// </summary>
internal static class AutoVacuum
{
    private const long Incremental = 2;

    public static void EnsureIncremental(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA auto_vacuum";
        if (cmd.ExecuteScalar() is Incremental)
        {
            return;
        }

        cmd.CommandText = "PRAGMA auto_vacuum=INCREMENTAL";
        cmd.ExecuteNonQuery();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master";
        if (cmd.ExecuteScalar() is not 0L)
        {
            // Changing the mode of a database that has tables takes effect only through VACUUM.
            cmd.CommandText = "VACUUM";
            cmd.ExecuteNonQuery();
        }
    }
}
