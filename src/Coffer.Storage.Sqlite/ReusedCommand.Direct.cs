using System.Data;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Coffer.Storage.Sqlite;

/// <summary>
/// <see cref="ExecuteNonQuery"/> on a statement of its own, prepared once and bound by index.
/// Microsoft.Data.Sqlite makes a data reader, a statement enumerator and a binder per value on every
/// run, and the UTF-8 of every parameter's name: about 1.5 KB for a hot read's audit record and the
/// BEGIN and COMMIT around it (issue 11). Here a run binds and steps the statement and allocates
/// nothing. It binds only what Microsoft.Data.Sqlite binds the same way (integers, doubles, NULL,
/// non-empty blobs, and non-empty text without a NUL, which SQLitePCL's text would end at, as its
/// UTF-8), waits out a busy database as it does (until the command's timeout, 150 ms at a time),
/// and answers the same count and the same <see cref="SqliteException"/>. Any other command or
/// value (several statements, a parameter not given, an empty string) runs through
/// Microsoft.Data.Sqlite as before, which also reports what is wrong with it.
/// </summary>
internal sealed partial class ReusedCommand
{
    private sqlite3? _preparedOn;
    private sqlite3_stmt? _statement;
    private string[] _names = [];
    private bool _notDirect;
    private byte[] _utf8 = [];

    public override int ExecuteNonQuery() => TryExecuteDirect(out var changed) ? changed : base.ExecuteNonQuery();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _statement?.Dispose();
            _statement = null;
        }

        base.Dispose(disposing);
    }

    private bool TryExecuteDirect(out int changed)
    {
        changed = -1;
        if (_notDirect || Connection is not { State: ConnectionState.Open, Handle: { } db } || !Prepared(db) || !AllBindable())
        {
            return false;
        }

        var statement = _statement!;
        try
        {
            for (var i = 0; i < _names.Length; i++)
            {
                Bind(statement, i + 1, Find(_names[i])!.Value!);
            }

            var started = Environment.TickCount64;
            int rc;
            while (true)
            {
                rc = raw.sqlite3_step(statement);
                if (rc == raw.SQLITE_ROW)
                {
                    continue;
                }

                if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED or raw.SQLITE_LOCKED_SHAREDCACHE
                    && (CommandTimeout == 0 || Environment.TickCount64 - started < CommandTimeout * 1000L))
                {
                    raw.sqlite3_reset(statement);
                    Thread.Sleep(150);
                    continue;
                }

                break;
            }

            SqliteException.ThrowExceptionForRC(rc, db);
            changed = raw.sqlite3_stmt_readonly(statement) != 0 ? -1 : raw.sqlite3_changes(db);
            return true;
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    /// <summary>The statement, prepared on this connection; false (for good) when the text is not one statement with named parameters.</summary>
    private bool Prepared(sqlite3 db)
    {
        if (_statement is not null && ReferenceEquals(_preparedOn, db))
        {
            return true;
        }

        _statement?.Dispose();
        _statement = null;
        var rc = raw.sqlite3_prepare_v2(db, CommandText, out var statement, out string tail);
        if (rc != raw.SQLITE_OK || statement is null || statement.IsInvalid || !string.IsNullOrWhiteSpace(tail))
        {
            // Microsoft.Data.Sqlite runs it, and reports what is wrong with it.
            statement?.Dispose();
            _notDirect = true;
            return false;
        }

        var names = new string[raw.sqlite3_bind_parameter_count(statement)];
        for (var i = 0; i < names.Length; i++)
        {
            if (raw.sqlite3_bind_parameter_name(statement, i + 1).utf8_to_string() is not { Length: > 0 } name)
            {
                statement.Dispose();
                _notDirect = true;
                return false;
            }

            names[i] = name;
        }

        _statement = statement;
        _preparedOn = db;
        _names = names;
        return true;
    }

    /// <summary>Whether every parameter of the statement has a value bound here as Microsoft.Data.Sqlite binds it.</summary>
    private bool AllBindable()
    {
        foreach (var name in _names)
        {
            var value = Find(name)?.Value;
            if (value is not (long or int or DBNull or string { Length: > 0 } or byte[] { Length: > 0 } or double) || value is double.NaN || (value is string text && text.Contains('\0', StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private SqliteParameter? Find(string name)
    {
        var parameters = Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i].ParameterName, name, StringComparison.Ordinal))
            {
                return parameters[i];
            }
        }

        return null;
    }

    private void Bind(sqlite3_stmt statement, int index, object value)
    {
        var rc = value switch
        {
            long l => raw.sqlite3_bind_int64(statement, index, l),
            int n => raw.sqlite3_bind_int64(statement, index, n),
            double d => raw.sqlite3_bind_double(statement, index, d),
            byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
            string text => BindText(statement, index, text),
            _ => raw.sqlite3_bind_null(statement, index),
        };
        SqliteException.ThrowExceptionForRC(rc, _preparedOn);
    }

    /// <summary>Binds the text's UTF-8, as SQLitePCL encodes it for Microsoft.Data.Sqlite, from a buffer
    /// kept for the next value: SQLite copies what is bound, and the buffer is cleared at once.</summary>
    private int BindText(sqlite3_stmt statement, int index, string text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_utf8.Length < length)
        {
            _utf8 = new byte[Math.Max(length, 256)];
        }

        var utf8 = _utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, _utf8));
        try
        {
            return raw.sqlite3_bind_text(statement, index, utf8);
        }
        finally
        {
            utf8.Clear();
        }
    }
}
