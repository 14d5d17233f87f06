using Coffer.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Coffer.Server.Tests.Storage;

/// <summary>
/// The WAL is copied into the database off the writer (issue 11: SQLite's automatic checkpoint,
/// run inside the writer's commit, was the reads' paced tail), and it still starts again once it
/// passes its bound, also when the writer commits while the checkpointer copies.
/// </summary>
public sealed class WalCheckpointTests : IDisposable
{
    private const int PageSize = 4096;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("coffer-wal-");

    private string WalPath => Path.Combine(_dir.FullName, "coffer.db-wal");

    [Fact]
    public async Task The_writer_leaves_copying_to_the_checkpointer()
    {
        await using var store = SqliteStore.OpenFile(_dir.FullName, null, new CheckpointSettings(Interval: null, FinishPages: 64));
        await CreateTableAsync(store);

        // 300 commits of 16 KB: past the 1,000 pages at which SQLite's own checkpoint would run in
        // the writer's commit and start the WAL again.
        for (var i = 0; i < 300; i++)
        {
            await WriteAsync(store);
        }

        Assert.True(new FileInfo(WalPath).Length > 1_100L * PageSize, $"the WAL is {new FileInfo(WalPath).Length} bytes");
        Assert.Equal(0L, await store.WriteAsync((s, _) => new ValueTask<long>((long)Scalar((SqliteSession)s, "PRAGMA wal_autocheckpoint")!)));
    }

    [Fact]
    public async Task Past_the_bound_the_writer_copies_the_rest_and_the_wal_starts_again()
    {
        await using var store = SqliteStore.OpenFile(_dir.FullName, null, new CheckpointSettings(Interval: null, FinishPages: 64));
        await CreateTableAsync(store);
        for (var i = 0; i < 40; i++)
        {
            await WriteAsync(store);
        }

        var checkpointer = store.Checkpointer!;
        var generation = WalGeneration();

        // Under load the writer commits while the checkpointer copies, so a pass never leaves the WAL
        // all copied and no write can start it again. A reader holding the WAL's present end does the
        // same here: the checkpoint copies up to it, and the commit after it stays to be copied.
        using (var reader = new SqliteConnection($"Data Source={Path.Combine(_dir.FullName, "coffer.db")};Pooling=False"))
        {
            reader.Open();
            using var begin = reader.CreateCommand();
            begin.CommandText = "BEGIN; SELECT count(*) FROM wal_test;";
            begin.ExecuteScalar();
            await WriteAsync(store);
            checkpointer.CopyNow();
            Assert.True(checkpointer.FinishDue);
            using var commit = reader.CreateCommand();
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        }

        Assert.Equal(generation, WalGeneration());

        // The next batch is followed by the writer's own copy of the rest; the batch after it starts the WAL again.
        await WriteAsync(store);
        await WriteAsync(store);
        Assert.False(checkpointer.FinishDue);
        Assert.NotEqual(generation, WalGeneration());

        // And the WAL's file stops growing: the next writes go at its start.
        var length = new FileInfo(WalPath).Length;
        for (var i = 0; i < 10; i++)
        {
            await WriteAsync(store);
        }

        Assert.Equal(length, new FileInfo(WalPath).Length);
        Assert.Equal(41 + 1 + 2 + 10, await store.ReadAsync((s, _) => new ValueTask<long>((long)Scalar((SqliteSession)s, "SELECT count(*) FROM wal_test")!)));
    }

    [Fact]
    public async Task A_copy_kept_out_by_another_checkpoint_stays_due()
    {
        await using var store = SqliteStore.OpenFile(_dir.FullName, null, new CheckpointSettings(Interval: null, FinishPages: 64));
        await CreateTableAsync(store);
        for (var i = 0; i < 40; i++)
        {
            await WriteAsync(store);
        }

        var checkpointer = store.Checkpointer!;
        checkpointer.CopyNow();
        Assert.True(checkpointer.FinishDue);

        // A checkpoint that waits for a write transaction holds SQLite's checkpoint lock meanwhile, as
        // the thread's holds it while the writer tries its own copy: that copy comes back busy, and
        // what is due must stay due (a busy answer's page counts are -1, which looked "all copied").
        using var holder = Open();
        using var other = Open();
        using var writer = Open();
        Execute(holder, "BEGIN IMMEDIATE");
        var waiting = Task.Run(() => Execute(other, "PRAGMA busy_timeout=30000; PRAGMA wal_checkpoint(FULL);"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!WalCheckpointer.Checkpoint(writer).Busy && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        bool keptOut, afterFinish, afterCopy;
        try
        {
            keptOut = WalCheckpointer.Checkpoint(writer).Busy;
            checkpointer.Finish(writer);
            afterFinish = checkpointer.FinishDue;
            checkpointer.CopyNow();
            afterCopy = checkpointer.FinishDue;
        }
        finally
        {
            Execute(holder, "ROLLBACK");
            await waiting;
        }

        Assert.True(keptOut, "the other checkpoint never held the lock");
        Assert.True(afterFinish, "the writer's copy was kept out, yet nothing stays due");
        Assert.True(afterCopy, "the thread's copy was kept out, yet nothing stays due");
        checkpointer.Finish(writer);
        Assert.False(checkpointer.FinishDue);
    }

    [Fact]
    public async Task The_checkpointers_thread_keeps_the_wal_bounded_by_itself()
    {
        await using var store = SqliteStore.OpenFile(_dir.FullName, null, new CheckpointSettings(TimeSpan.FromMilliseconds(5), FinishPages: 64));
        await CreateTableAsync(store);
        var generation = WalGeneration();

        // Writes until the WAL has started again at least once (a generous deadline for a loaded machine).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var writes = 0;
        while (WalGeneration().SequenceEqual(generation) && DateTime.UtcNow < deadline)
        {
            await WriteAsync(store);
            writes++;
        }

        Assert.False(WalGeneration().SequenceEqual(generation), $"the WAL never started again in {writes} writes");
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.FullName, "coffer.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteSession session, string sql)
    {
        using var command = session.Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static Task CreateTableAsync(SqliteStore store) =>
        store.WriteAsync((s, _) => new ValueTask<object?>(Scalar((SqliteSession)s, "CREATE TABLE wal_test (value BLOB NOT NULL); INSERT INTO wal_test VALUES (zeroblob(16384))")));

    /// <summary>One commit of its own, about four pages.</summary>
    private static Task WriteAsync(SqliteStore store) =>
        store.WriteAsync((s, _) => new ValueTask<object?>(Scalar((SqliteSession)s, "INSERT INTO wal_test VALUES (randomblob(16384))")));

    /// <summary>The WAL header's checkpoint sequence number and salts, which change each time the WAL
    /// starts again (SQLite's file format, "WAL file format").</summary>
    private byte[] WalGeneration()
    {
        using var wal = new FileStream(WalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[12];
        wal.Position = 12;
        wal.ReadExactly(header);
        return header;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
