namespace EventSourcing.Sql;

/// <summary>
/// What every SQL aggregate recorder does before it reaches the database: check the batch, answer an empty
/// batch or a non-positive limit without a round trip, and create the tables on first use. The backend
/// supplies the statements (<see cref="InsertEventRowsAsync"/>, <see cref="SelectEventRowsAsync"/>).
/// </summary>
public abstract class SqlAggregateRecorder : IAggregateRecorder
{
    private protected SqlAggregateRecorder(string table)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        Table = table;
    }

    /// <summary>The table the events are stored in (without schema).</summary>
    public string Table { get; }

    public async Task<IReadOnlyList<long>> InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        StoredEventBatch.ThrowIfInvalid(events);
        if (events.Count == 0)
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);
        return await InsertEventRowsAsync(events, cancellationToken);
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
        return await SelectEventRowsAsync(originatorId, gt, lte, desc, limit, cancellationToken);
    }

    /// <summary>Creates this recorder's tables on first use (unless table creation is off).</summary>
    private protected abstract Task EnsureTablesAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a checked, non-empty batch in one transaction; returns the notification ids when the table numbers its rows.</summary>
    private protected abstract Task<IReadOnlyList<long>> InsertEventRowsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);

    /// <summary>Reads one aggregate's events; <paramref name="limit"/> is null or positive.</summary>
    private protected abstract Task<IReadOnlyList<StoredEvent>> SelectEventRowsAsync(
        Guid originatorId,
        int? gt,
        int? lte,
        bool desc,
        int? limit,
        CancellationToken cancellationToken);
}
