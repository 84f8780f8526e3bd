namespace EventSourcing;

/// <summary>
/// What a policy produced for one upstream event: new events and view changes, recorded together with the
/// tracking record of the upstream notification, atomically.
/// </summary>
public sealed class ProcessingEvent
{
    private readonly ProcessingBatch _batch;

    internal ProcessingEvent(ProcessingBatch batch, Tracking tracking)
    {
        _batch = batch;
        Tracking = tracking;
    }

    /// <summary>The upstream application and notification id being processed.</summary>
    public Tracking Tracking { get; }

    /// <summary>Collects the pending events of these aggregates, to be recorded with the tracking record.</summary>
    public void CollectEvents(params Aggregate[] aggregates)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        foreach (var aggregate in aggregates)
        {
            ArgumentNullException.ThrowIfNull(aggregate, nameof(aggregates));
            _batch.Collect(aggregate);
        }
    }

    /// <summary>Adds a change to a materialized view, applied in the same transaction as the tracking record.</summary>
    public void AddViewChange(IViewChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _batch.ViewChanges.Add(change);
    }
}
