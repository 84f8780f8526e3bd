namespace EventSourcing.Sql;

/// <summary>
/// One write transaction of a datastore, filled in order (statements, tracking rows, view changes, events) and then
/// committed. A backend may hold statements back and send them together at <see cref="CommitAsync"/>, so the ids
/// are known only then. Disposing without committing writes nothing.
/// </summary>
internal abstract class SqlWriter : IAsyncDisposable
{
    /// <summary>Runs statements without parameters (the tables' DDL).</summary>
    public abstract Task ExecuteAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken);

    public abstract Task InsertTrackingAsync(IReadOnlyList<Tracking> tracking, CancellationToken cancellationToken);

    /// <summary>Runs the view changes in the transaction, after what was added before them.</summary>
    public Task ApplyAsync(IReadOnlyList<IViewChange> changes, CancellationToken cancellationToken)
        => RunAsync((transaction, ct) => transaction.ApplyAsync(changes, ct), cancellationToken);

    /// <summary>Runs <paramref name="work"/> on the transaction's connection, after what was added before it.</summary>
    public abstract Task RunAsync(Func<SqlRecorderTransaction, CancellationToken, Task> work, CancellationToken cancellationToken);

    /// <summary>How many rows were added to numbered tables so far: the ids at commit come in this order.</summary>
    public int NumberedRows { get; private set; }

    public Task InsertEventsAsync(SqlEventTable table, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        if (table.NumbersRows)
        {
            NumberedRows += events.Count;
        }

        return InsertEventsCoreAsync(table, events, cancellationToken);
    }

    private protected abstract Task InsertEventsCoreAsync(SqlEventTable table, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);

    /// <summary>Commits; returns the notification ids of the inserted events, ascending (empty for an unnumbered table).</summary>
    public abstract Task<IReadOnlyList<long>> CommitAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
