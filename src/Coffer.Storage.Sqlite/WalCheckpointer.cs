using Microsoft.Data.Sqlite;

namespace Coffer.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database file on a thread and connection of its own, so the
/// single writer, which every call's audit record waits for, no longer stops for SQLite's automatic
/// checkpoint: that stop, run inside the commit that took the WAL past a thousand pages, was the
/// paced tail of issue 11.
/// </summary>
/// <remarks>
/// SQLite starts the WAL again from its beginning only when a write transaction begins with all of
/// it copied (and no reader in it). A checkpoint running beside a busy writer rarely sees that, since
/// the writer commits again while it copies, and the WAL grew without bound. So once the WAL is past
/// <see cref="CheckpointSettings.FinishPages"/>, this thread copies again until a pass has little
/// left to copy, and then has the writer copy the rest itself between two batches
/// (<see cref="FinishDue"/>, <see cref="Finish"/>): a short stop, since only what a short pass let
/// pile up is left, after which its next write starts the WAL again. Every checkpoint keeps SQLite's
/// own order of fsyncs (the WAL, then the database), so durability is what it was.
/// </remarks>
internal sealed class WalCheckpointer : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly CheckpointSettings _settings;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread? _thread;
    private volatile bool _finishDue;

    /// <summary>Takes <paramref name="connection"/>, which must not be the writer's. With no
    /// interval in <paramref name="settings"/> no thread runs; <see cref="CopyNow"/> is then called
    /// by hand (tests).</summary>
    public WalCheckpointer(SqliteConnection connection, CheckpointSettings settings)
    {
        _connection = connection;
        _settings = settings;
        if (settings.Interval is not null)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "coffer-wal-checkpoint" };
            _thread.Start();
        }
    }

    /// <summary>The WAL is past the bound with little left to copy: the writer should copy the rest
    /// (<see cref="Finish"/>) before its next batch.</summary>
    public bool FinishDue => _finishDue;

    /// <summary>Runs a passive checkpoint, which never waits for the writer or a reader, on
    /// <paramref name="connection"/>: whether another connection's checkpoint kept it out, the WAL's
    /// length in pages, and how many of them are now copied.</summary>
    public static (bool Busy, long Pages, long Copied) Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        reader.Read();
        // busy, log, checkpointed. Busy is 1 (and the others -1) when another connection held SQLite's
        // checkpoint lock: the thread's and the writer's copies can meet.
        return (reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>One turn of the thread: copies the WAL, and again while it is past the bound and a pass
    /// still found much to copy; then says whether the writer should copy the rest.</summary>
    public void CopyNow()
    {
        var (busy, pages, copied) = Checkpoint(_connection);
        for (var pass = 2; !busy && pages > _settings.FinishPages && pass <= CheckpointSettings.MaxPasses; pass++)
        {
            var before = copied;
            (busy, pages, copied) = Checkpoint(_connection);
            if (copied - before <= CheckpointSettings.ShortPassPages)
            {
                break;
            }
        }

        // Kept out by the writer's own copy (busy), what is due stays as it was.
        if (!busy)
        {
            _finishDue = pages > _settings.FinishPages;
        }
    }

    /// <summary>The writer, between batches: copies what is left, so that its next write starts the
    /// WAL again. Called only while <see cref="FinishDue"/>; a copy this thread's own checkpoint kept
    /// out (it holds SQLite's checkpoint lock) is tried again after the next batch.</summary>
    public void Finish(SqliteConnection writer)
    {
        try
        {
            var (busy, pages, copied) = Checkpoint(writer);
            if (!busy && pages == copied)
            {
                _finishDue = false;
            }
        }
        catch (SqliteException)
        {
            // Never out of the writer's loop, which would stop every write: tried again after the next
            // batch, and a failing disk fails that batch's commit, which its callers see.
        }
    }

    private void Run()
    {
        while (!_stop.Wait(_settings.Interval!.Value))
        {
            try
            {
                CopyNow();
            }
            catch (SqliteException)
            {
                // Tried again at the next turn. Nothing is lost meanwhile: the WAL only grows, and a
                // failing disk fails the writer's own commits, which their callers see.
            }
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread?.Join();
        _stop.Dispose();
        _connection.Dispose();
    }
}

/// <summary>How the WAL is copied into the database (<see cref="WalCheckpointer"/>).</summary>
/// <param name="Interval">How often the checkpointer's thread copies the WAL; null: never by itself (tests).</param>
/// <param name="FinishPages">The WAL's length, in pages of 4 KB, past which the writer copies the
/// rest itself so that the WAL starts again.</param>
internal sealed record CheckpointSettings(TimeSpan? Interval, long FinishPages)
{
    /// <summary>What a server runs with: a copy every 100 ms, the WAL started again past about 16 MB
    /// (measured in docs/benchmarks.md, issue 11's paced tail).</summary>
    public static readonly CheckpointSettings Default = new(TimeSpan.FromMilliseconds(100), 4_000);

    /// <summary>A pass that copied at most this many pages is short: what it let pile up is what the
    /// writer copies itself.</summary>
    public const long ShortPassPages = 256;

    /// <summary>Passes in one turn, at most, before the writer is asked to copy the rest.</summary>
    public const int MaxPasses = 6;
}
