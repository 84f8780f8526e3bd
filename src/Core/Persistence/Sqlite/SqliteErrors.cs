using Microsoft.Data.Sqlite;

namespace EventSourcing.Sqlite;

/// <summary>Turns SQLite's errors into the library's exceptions. The only place the backend does this.</summary>
internal static class SqliteErrors
{
    private const int SqliteError = 1;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;
    private const int SqliteMisuse = 21;
    private const int SqliteRange = 25;

    public static EventSourcingException Translate(SqliteException ex, string database)
    {
        var message = $"SQLite {database}: {ex.Message}";
        return ex.SqliteErrorCode switch
        {
            SqliteConstraint when ex.Message.Contains($" {SqliteSql.TrackingTableName}.", StringComparison.Ordinal)
                => new IntegrityException($"{message} (a notification was already tracked)", ex),
            SqliteConstraint when ex.Message.Contains($" {SqliteSql.EventsTableName}.", StringComparison.Ordinal)
                    || ex.Message.Contains($" {SqliteSql.SnapshotsTableName}.", StringComparison.Ordinal)
                => new ConcurrencyException($"{message} (an aggregate already has an event at that version)", ex),
            SqliteConstraint => new IntegrityException(message, ex),
            SqliteBusy or SqliteLocked => new OperationalException($"{message} (another connection holds the lock; see SQLITE_LOCK_TIMEOUT)", ex, isTransient: true),
            SqliteError or SqliteMismatch or SqliteMisuse or SqliteRange => new ProgrammingException(message, ex),
            _ => new OperationalException(message, ex),
        };
    }
}
