using EventSourcing.Sql;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Sqlite;

/// <summary>Events (or snapshots) of aggregates in an SQLite table keyed by (originator id, version).</summary>
public class SqliteAggregateRecorder : SqlAggregateRecorder
{
    private readonly string[] _createTable;

    internal SqliteAggregateRecorder(SqliteDatastore datastore, string table)
        : this(datastore, table, SqliteSql.CreateAggregateTable(table))
    {
    }

    private protected SqliteAggregateRecorder(SqliteDatastore datastore, string table, string[] createTable)
        : base(table)
    {
        ArgumentNullException.ThrowIfNull(datastore);
        Datastore = datastore;
        _createTable = createTable;
    }

    private protected SqliteDatastore Datastore { get; }

    private protected override Task EnsureTablesAsync(CancellationToken cancellationToken)
        => Datastore.EnsureTablesAsync(Table, _createTable, cancellationToken);

    private protected override Task<IReadOnlyList<long>> InsertEventRowsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
        => Datastore.WriteAsync((connection, transaction, ct) => InsertRowsAsync(connection, transaction, events, ct), cancellationToken);

    private protected override Task<IReadOnlyList<StoredEvent>> SelectEventRowsAsync(
        Guid originatorId,
        int? gt,
        int? lte,
        bool desc,
        int? limit,
        CancellationToken cancellationToken)
    {
        var sql = SqliteSql.SelectEvents(Table, gt is not null, lte is not null, desc, limit is not null);
        return Datastore.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = SqliteDatastore.Command(connection, null, sql);
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
        var command = SqliteDatastore.Command(connection, transaction, SqliteSql.InsertEvent(Table, returnId));
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
