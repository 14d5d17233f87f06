using Coffer.Core.Storage;
using Npgsql;

namespace Coffer.Storage.Postgres;

/// <summary>
/// The scheduler's lease: a session-level advisory lock on a connection this node keeps open. The
/// node that holds it runs scheduled work; when that node dies, its connection closes, PostgreSQL
/// releases the lock, and the next node to ask (each asks before every round) takes it over.
/// </summary>
internal sealed class ScheduleLease(PostgresStore store) : IDisposable
{
    private const long LeaseKey = 0x436f_6666_6572_5343; // "CofferSC"
    private readonly Lock _gate = new();
    private NpgsqlConnection? _held;

    public bool TryHold()
    {
        lock (_gate)
        {
            try
            {
                if (_held is not null)
                {
                    // Still ours only while the session that took it is alive.
                    using var ping = new NpgsqlCommand("SELECT 1", _held);
                    ping.ExecuteScalar();
                    return true;
                }

                var connection = store.OpenDedicated();
                using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", connection);
                take.Parameters.AddWithValue("k", LeaseKey);
                if (take.ExecuteScalar() is true)
                {
                    _held = connection;
                    return true;
                }

                connection.Dispose();
                return false;
            }
            catch (NpgsqlException)
            {
                _held?.Dispose();
                _held = null;
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            // Closing the session releases the lock at once, so another node need not wait for a timeout.
            _held?.Dispose();
            _held = null;
        }
    }
}

/// <summary>The lease, as Core sees it.</summary>
public sealed partial class PostgresStore
{
    private readonly ScheduleLease _lease;

    public bool TryHoldScheduleLease() => _lease.TryHold();
}
