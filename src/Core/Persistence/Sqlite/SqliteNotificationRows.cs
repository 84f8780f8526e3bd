using System.Diagnostics;
using System.Text;
using EventSourcing.Sql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventSourcing.Sqlite;

/// <summary>
/// Reads pages of notifications on one connection with SQLite's C API (<see cref="SqliteNative"/>), on a statement
/// prepared once per statement text and kept with the connection (at most the four forms of
/// <see cref="SqlStatements.SelectNotifications"/>). Topics repeat from row to row: each is made a string
/// once and shared. Used by one caller at a time, as the connection is.
/// </summary>
internal sealed class SqliteNotificationRows(SqliteConnection connection, SqliteNative.Functions api) : IDisposable
{
    /// <summary>As Microsoft.Data.Sqlite does while a lock is held elsewhere: wait, then run the statement again.</summary>
    private static readonly TimeSpan BusyPause = TimeSpan.FromMilliseconds(50);

    private const int MaxTopics = 64;

    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);
    private readonly List<(byte[] Utf8, string Topic)> _topics = [];
    private int _lastTopic;

    /// <summary>
    /// Runs <paramref name="sql"/> (<see cref="SqlStatements.SelectNotifications"/>, with the parameters of
    /// <paramref name="query"/>) and reads its rows. Errors are those Microsoft.Data.Sqlite raises
    /// (<see cref="SqliteException"/>); a lock held elsewhere is waited for up to the connection's timeout.
    /// </summary>
    public IReadOnlyList<Notification> Select(string sql, NotificationQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waited = Stopwatch.StartNew();
        var statement = Statement(sql, waited, cancellationToken);
        var handled = false;
        statement.DangerousAddRef(ref handled);
        try
        {
            Bind(statement, query);
            var pointer = statement.DangerousGetHandle();
            var notifications = new List<Notification>(Math.Min(query.Limit, 1_000));
            while (true)
            {
                var rc = api.Step(pointer);
                if (rc == raw.SQLITE_ROW)
                {
                    notifications.Add(Read(pointer));
                    continue;
                }

                if (rc == raw.SQLITE_DONE)
                {
                    return notifications;
                }

                raw.sqlite3_reset(statement);
                if (WaitIfBusy(rc, waited, cancellationToken))
                {
                    notifications.Clear();
                    continue;
                }

                SqliteException.ThrowExceptionForRC(rc, connection.Handle);
                throw new InvalidOperationException($"SQLite returned {rc} from a step and no error");
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
            if (handled)
            {
                statement.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
    }

    /// <summary>
    /// While another connection holds a lock (SQLITE_BUSY or SQLITE_LOCKED, extended codes too) and the connection's
    /// timeout has not passed: pauses and says to try again. Microsoft.Data.Sqlite waits in the same way.
    /// </summary>
    private bool WaitIfBusy(int rc, Stopwatch waited, CancellationToken cancellationToken)
    {
        if ((rc & 0xFF) is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED) || waited.Elapsed.TotalSeconds >= connection.DefaultTimeout)
        {
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        Thread.Sleep(BusyPause);
        return true;
    }

    /// <summary>The kept statement for <paramref name="sql"/>, prepared on first use.</summary>
    private sqlite3_stmt Statement(string sql, Stopwatch waited, CancellationToken cancellationToken)
    {
        if (_statements.TryGetValue(sql, out var kept))
        {
            return kept;
        }

        int rc;
        sqlite3_stmt? prepared;
        while (true)
        {
            rc = Prepare(sql, out prepared);
            if (rc == raw.SQLITE_OK || !WaitIfBusy(rc, waited, cancellationToken))
            {
                break;
            }

            prepared?.Dispose();
        }

        if (rc != raw.SQLITE_OK || prepared is null)
        {
            prepared?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            throw new InvalidOperationException($"SQLite prepared no statement for: {sql}");
        }

        _statements.Add(sql, prepared);
        return prepared;
    }

    private int Prepare(string sql, out sqlite3_stmt? prepared)
    {
        try
        {
            return raw.sqlite3_prepare_v2(connection.Handle, sql, out prepared);
        }
        catch (ArgumentOutOfRangeException)
        {
            // When preparing fails, SQLite may leave the end of the statement's text unset, and SQLitePCL reads it
            // anyway; there is no statement, and the error is the connection's last.
            prepared = null;
            var rc = raw.sqlite3_errcode(connection.Handle);
            if (rc == raw.SQLITE_OK)
            {
                throw;
            }

            return rc;
        }
    }

    private static void Bind(sqlite3_stmt statement, NotificationQuery query)
    {
        Check(statement, raw.sqlite3_bind_int64(statement, Index(statement, "$start"), query.Start));
        Check(statement, raw.sqlite3_bind_int64(statement, Index(statement, "$limit"), query.Limit));
        if (query.Stop is { } stop)
        {
            Check(statement, raw.sqlite3_bind_int64(statement, Index(statement, "$stop"), stop));
        }

        if (query.Topics is { } topics)
        {
            Check(statement, raw.sqlite3_bind_text(statement, Index(statement, "$topics"), SqliteDatastore.TopicsParameter(topics)));
        }
    }

    private static int Index(sqlite3_stmt statement, string name)
        => raw.sqlite3_bind_parameter_index(statement, name) is var index and > 0
            ? index
            : throw new InvalidOperationException($"The statement has no parameter {name}");

    private static void Check(sqlite3_stmt statement, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, raw.sqlite3_db_handle(statement));
        }
    }

    /// <summary>The current row: id, originator id, version, topic, state, metadata.</summary>
    private Notification Read(IntPtr statement)
    {
        var id = api.Int64(statement, 0);
        var originatorId = OriginatorId(statement, id);

        var version = api.Int64(statement, 2);
        var topic = Topic(api.Text(statement, 3));
        var state = api.Blob(statement, 4);
        var metadata = api.IsNull(statement, 5) ? null : api.Blob(statement, 5);
        return new Notification(id, originatorId, checked((int)version), topic, state, metadata);
    }

    /// <summary>The originator id as the library writes it (text), or as 16 bytes, which Microsoft.Data.Sqlite reads too.</summary>
    private Guid OriginatorId(IntPtr statement, long id)
    {
        if (api.Type(statement, 1) == raw.SQLITE_BLOB)
        {
            var bytes = api.Blob(statement, 1);
            return bytes.Length == 16 ? new Guid(bytes) : throw SqlDatastore.NotAUuid(id, Convert.ToHexString(bytes));
        }

        var text = api.Text(statement, 1);
        return Guid.TryParse(text, out var originatorId) ? originatorId : throw SqlDatastore.NotAUuid(id, Encoding.UTF8.GetString(text));
    }

    private string Topic(ReadOnlySpan<byte> utf8)
    {
        if (_lastTopic < _topics.Count && utf8.SequenceEqual(_topics[_lastTopic].Utf8))
        {
            return _topics[_lastTopic].Topic;
        }

        for (var i = 0; i < _topics.Count; i++)
        {
            if (utf8.SequenceEqual(_topics[i].Utf8))
            {
                _lastTopic = i;
                return _topics[i].Topic;
            }
        }

        var topic = Encoding.UTF8.GetString(utf8);
        if (_topics.Count < MaxTopics)
        {
            _lastTopic = _topics.Count;
            _topics.Add((utf8.ToArray(), topic));
        }

        return topic;
    }
}
