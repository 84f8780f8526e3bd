using Npgsql;

namespace EventSourcing.Postgres;

/// <summary>Turns Npgsql's errors into the library's exceptions. The only place the backend does this.</summary>
internal static class PostgresErrors
{
    public static bool IsDriverError(Exception ex) => ex is NpgsqlException or TimeoutException;

    /// <summary>
    /// True when the connection itself is gone: broken or refused (not a server error), or closed by the server
    /// (class 08 connection exceptions, 57P operator intervention such as a shutdown or restart).
    /// </summary>
    public static bool IsConnectionLost(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException => true,
        _ => false,
    };

    public static EventSourcingException Translate(Exception ex, string database, string trackingTable)
    {
        if (ex is PostgresException pg)
        {
            var message = $"PostgreSQL {database}: {pg.SqlState}: {pg.MessageText}";
            return pg.SqlState switch
            {
                PostgresErrorCodes.UniqueViolation when pg.TableName == trackingTable
                    => new IntegrityException($"{message} (a notification was already tracked)", ex),
                PostgresErrorCodes.UniqueViolation when pg.TableName is { } table && (table.EndsWith("_events", StringComparison.Ordinal) || table.EndsWith("_snapshots", StringComparison.Ordinal))
                    => new ConcurrencyException($"{message} (an aggregate already has an event at that version)", ex),
                _ when pg.SqlState.StartsWith("23", StringComparison.Ordinal) => new IntegrityException(message, ex),
                _ when pg.IsTransient || IsTransient(pg.SqlState) => new OperationalException(message, ex, isTransient: true),
                // Connection, resources, operator intervention, system and internal errors: the server's trouble, not the SQL's.
                _ when pg.SqlState[..2] is "08" or "53" or "54" or "55" or "57" or "58" or "XX"
                    => new OperationalException(message, ex),
                _ => new ProgrammingException(message, ex),
            };
        }

        // Not a server error: the connection failed, broke or timed out.
        return new OperationalException($"PostgreSQL {database}: {ex.Message}", ex, isTransient: true);
    }

    /// <summary>
    /// Errors that pass by themselves: connection exceptions (08), insufficient resources (53), the server shutting
    /// down or starting (57P), serialization failures and deadlocks (40001, 40P01), a lock not available (55P03).
    /// </summary>
    private static bool IsTransient(string sqlState)
        => sqlState.StartsWith("08", StringComparison.Ordinal)
            || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57P", StringComparison.Ordinal)
            || sqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable;
}
