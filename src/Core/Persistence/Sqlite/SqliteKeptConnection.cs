using System.Data.Common;
using EventSourcing.Sql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventSourcing.Sqlite;

/// <summary>
/// An SQLite connection that keeps one prepared command per statement. SQLite compiles a statement on a command's
/// first execution; a new command for every execution compiled the same statements again and again, which took
/// about a tenth of a node's CPU. Up to <see cref="MaxKept"/> statements are kept (view changes may run statements
/// of their own); a statement whose command is in use gets a new command, disposed as usual.
/// <para>
/// A kept statement stays compiled only if binding its parameters cannot change its plan. By default SQLite plans
/// with some bound values (a <c>LIMIT</c>'s among them) and compiles such a statement again whenever one of them is
/// bound, even to the same value: every read of a page of notifications was parsed and planned anew (in a profile
/// of a node under commands, a quarter of its reads' time). The connection opens with the query planner stability
/// guarantee (<c>SQLITE_DBCONFIG_ENABLE_QPSG</c>), under which plans never depend on bound values.
/// </para>
/// </summary>
internal sealed class SqliteKeptConnection(string connectionString) : SqliteConnection(connectionString), IKeptCommands
{
    public const int MaxKept = 64;

    private readonly Dictionary<string, KeptCommand> _kept = new(StringComparer.Ordinal);
    private SqliteNotificationRows? _notificationRows;

    /// <summary>
    /// Pages of notifications read with SQLite's C API on statements kept with this connection; null when that API
    /// cannot be called here (<see cref="SqliteNative.Unavailable"/>). The connection must be open.
    /// </summary>
    public SqliteNotificationRows? NotificationRows
        => _notificationRows ??= SqliteNative.Api is { } api ? new SqliteNotificationRows(this, api) : null;

    /// <summary><c>SQLITE_DBCONFIG_ENABLE_QPSG</c> in sqlite3.h.</summary>
    private const int EnableQpsg = 1007;

    /// <remarks>Microsoft.Data.Sqlite's <c>OpenAsync</c> opens through this too.</remarks>
    public override void Open()
    {
        base.Open();

        // Only speed depends on it: where SQLite refuses (a build without it), statements are compiled again as before.
        _ = raw.sqlite3_db_config(Handle, EnableQpsg, 1, out int _);
    }

    public DbCommand? Command(string sql)
    {
        if (!_kept.TryGetValue(sql, out var command))
        {
            if (_kept.Count >= MaxKept)
            {
                return null;
            }

            command = new KeptCommand { Connection = this, CommandText = sql };
            _kept.Add(sql, command);
        }

        if (command.InUse)
        {
            return null;
        }

        command.InUse = true;
        return command;
    }

    /// <summary>Finalizes the statements kept for <see cref="NotificationRows"/> before the database closes (disposing closes too).</summary>
    public override void Close()
    {
        _notificationRows?.Dispose();
        _notificationRows = null;
        base.Close();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _kept.Values)
            {
                command.Release();
            }

            _kept.Clear();
        }

        base.Dispose(disposing);
    }

    /// <summary>A command whose disposal by its user only clears it for the next use; the connection releases it.</summary>
    private sealed class KeptCommand : SqliteCommand
    {
        private bool _released;

        public bool InUse { get; set; }

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released || !disposing)
            {
                base.Dispose(disposing);
                return;
            }

            Parameters.Clear();
            Transaction = null;
            InUse = false;
        }
    }
}
