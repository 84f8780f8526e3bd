namespace EventSourcing.Sql;

/// <summary>
/// Events (or snapshots) of aggregates in a table keyed by (originator id, version), on any SQL backend. Checks the
/// batch, answers an empty batch or a non-positive limit without a round trip, and creates the table on first use.
/// </summary>
public class SqlAggregateRecorder : IAggregateRecorder
{
    private readonly SqlEventTable _table;

    internal SqlAggregateRecorder(SqlDatastore datastore, SqlEventTable table)
    {
        ArgumentNullException.ThrowIfNull(datastore);
        ArgumentNullException.ThrowIfNull(table);
        Datastore = datastore;
        _table = table;
    }

    /// <summary>The table the events are stored in (without schema).</summary>
    public string Table => _table.Name;

    private protected SqlDatastore Datastore { get; }

    /// <summary>How many writes of this recorder's datastore were committed in one transaction with others.</summary>
    internal long WritesCommittedTogether => Datastore.WritesCommittedTogether;

    public async Task<IReadOnlyList<long>> InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        StoredEventBatch.ThrowIfInvalid(events);
        if (events.Count == 0)
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);
        return await Datastore.WriteAsync((writer, ct) => writer.InsertEventsAsync(_table, events, ct), cancellationToken);
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
        var sql = Datastore.Sql.SelectEvents(_table, gt is not null, lte is not null, desc, limit is not null);
        return await Datastore.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = SqlDatastore.Command(connection, sql);
                Datastore.AddParameter(command, "id", originatorId);
                AddIfSet(command, "gt", gt);
                AddIfSet(command, "lte", lte);
                AddIfSet(command, "limit", limit);
                var events = new List<StoredEvent>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    events.Add(new StoredEvent(
                        originatorId,
                        reader.GetInt32(0),
                        reader.GetString(1),
                        reader.GetFieldValue<byte[]>(2),
                        reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3)));
                }

                return (IReadOnlyList<StoredEvent>)events;
            },
            cancellationToken);
    }

    /// <summary>
    /// Creates this recorder's tables on first use (unless table creation is off), after checking, once per datastore,
    /// that they belong to this application.
    /// </summary>
    private protected virtual async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        await Datastore.LogIdentity.GetAsync(cancellationToken);
        await Datastore.EnsureTableAsync(_table, cancellationToken);
    }

    private void AddIfSet(System.Data.Common.DbCommand command, string name, int? value)
    {
        if (value is { } v)
        {
            Datastore.AddParameter(command, name, v);
        }
    }
}
