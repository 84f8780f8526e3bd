using Microsoft.Data.Sqlite;

namespace EventSourcing.Sqlite;

/// <summary>Events (or snapshots) of aggregates in an SQLite table keyed by (originator id, version).</summary>
public class SqliteAggregateRecorder : IAggregateRecorder
{
    private readonly string[] _createTable;

    internal SqliteAggregateRecorder(SqliteDatabase database, string table)
        : this(database, table, SqliteSql.CreateAggregateTable(table))
    {
    }

    private protected SqliteAggregateRecorder(SqliteDatabase database, string table, string[] createTable)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(table);
        Database = database;
        Table = table;
        _createTable = createTable;
    }

    /// <summary>The table the events are stored in.</summary>
    public string Table { get; }

    private protected SqliteDatabase Database { get; }

    public async Task<IReadOnlyList<long>> InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        StoredEventBatch.ThrowIfInvalid(events);
        if (events.Count == 0)
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);
        return await Database.WriteAsync((connection, transaction, ct) => InsertRowsAsync(connection, transaction, events, ct), cancellationToken);
    }

    public async Task<IReadOnlyList<StoredEvent>> SelectEventsAsync(
        Guid originatorId,
        int? gt = null,
        int? lte = null,
        bool desc = false,
        int? limit = null,
        CancellationToken cancellationToken = default)
    {
        if (limit is <= 0)
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);
        var sql = SqliteSql.SelectEvents(Table, gt is not null, lte is not null, desc, limit is not null);
        return await Database.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = SqliteDatabase.Command(connection, null, sql);
                command.Parameters.AddWithValue("$id", originatorId.ToString());
                AddIfSet(command, "$gt", gt);
                AddIfSet(command, "$lte", lte);
                AddIfSet(command, "$limit", limit);
                var events = new List<StoredEvent>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    events.Add(new StoredEvent(originatorId, reader.GetInt32(0), reader.GetString(1), (byte[])reader.GetValue(2)));
                }

                return (IReadOnlyList<StoredEvent>)events;
            },
            cancellationToken);
    }

    /// <summary>Creates this recorder's tables on first use.</summary>
    private protected virtual Task EnsureTablesAsync(CancellationToken cancellationToken)
        => Database.EnsureTablesAsync(Table, _createTable, cancellationToken);

    /// <summary>Inserts the rows inside the open write transaction; returns their notification ids when the table numbers them.</summary>
    private protected virtual async Task<IReadOnlyList<long>> InsertRowsAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        IReadOnlyList<StoredEvent> events,
        CancellationToken cancellationToken)
    {
        await using var command = InsertCommand(connection, transaction, returnId: false);
        foreach (var e in events)
        {
            SetEvent(command, e);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return [];
    }

    private protected SqliteCommand InsertCommand(SqliteConnection connection, SqliteTransaction transaction, bool returnId)
    {
        var command = SqliteDatabase.Command(connection, transaction, SqliteSql.InsertEvent(Table, returnId));
        command.Parameters.Add("$id", SqliteType.Text);
        command.Parameters.Add("$version", SqliteType.Integer);
        command.Parameters.Add("$topic", SqliteType.Text);
        command.Parameters.Add("$state", SqliteType.Blob);
        return command;
    }

    private protected static void SetEvent(SqliteCommand command, StoredEvent e)
    {
        command.Parameters["$id"].Value = e.OriginatorId.ToString();
        command.Parameters["$version"].Value = e.OriginatorVersion;
        command.Parameters["$topic"].Value = e.Topic;
        command.Parameters["$state"].Value = e.State;
    }

    private static void AddIfSet(SqliteCommand command, string name, int? value)
    {
        if (value is { } v)
        {
            command.Parameters.AddWithValue(name, v);
        }
    }
}
