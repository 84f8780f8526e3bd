using EventSourcing.Sql;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Sqlite;

/// <summary>
/// A <c>BEGIN IMMEDIATE</c> transaction on the kept connection, holding the datastore's writer lock until disposed.
/// Statements run as they are added, one row at a time (SQLite has no round trips to save).
/// </summary>
internal sealed class SqliteWriter(SqliteConnection connection, SqliteTransaction transaction, Action release) : SqlWriter
{
    private readonly List<long> _ids = [];

    public override async Task ExecuteAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        foreach (var sql in statements)
        {
            await using var command = Command(sql);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override async Task InsertTrackingAsync(IReadOnlyList<Tracking> tracking, CancellationToken cancellationToken)
    {
        if (tracking.Count == 0)
        {
            return;
        }

        await using var command = Command(SqliteSql.InsertTracking);
        var application = command.Parameters.Add("$application", SqliteType.Text);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var t in tracking)
        {
            application.Value = t.ApplicationName;
            id.Value = t.NotificationId;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override Task RunAsync(Func<SqlRecorderTransaction, CancellationToken, Task> work, CancellationToken cancellationToken)
        => work(new SqlRecorderTransaction(SqliteDatastore.BackendName, connection, transaction), cancellationToken);

    private protected override async Task InsertEventsCoreAsync(SqlEventTable table, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var command = Command(SqliteSql.InsertEvent(table));
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var version = command.Parameters.Add("$version", SqliteType.Integer);
        var topic = command.Parameters.Add("$topic", SqliteType.Text);
        var state = command.Parameters.Add("$state", SqliteType.Blob);
        var metadata = command.Parameters.Add("$metadata", SqliteType.Blob);
        foreach (var e in events)
        {
            id.Value = e.OriginatorId.ToString();
            version.Value = e.OriginatorVersion;
            topic.Value = e.Topic;
            state.Value = e.State;
            metadata.Value = (object?)e.Metadata ?? DBNull.Value;
            if (table.NumbersRows)
            {
                _ids.Add((long)(await command.ExecuteScalarAsync(cancellationToken))!);
            }
            else
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    public override async Task<IReadOnlyList<long>> CommitAsync(CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(CancellationToken.None);
        return _ids;
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await transaction.DisposeAsync();
        }
        finally
        {
            release();
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = (SqliteCommand)SqlDatastore.Command(connection, sql);
        command.Transaction = transaction;
        return command;
    }
}
