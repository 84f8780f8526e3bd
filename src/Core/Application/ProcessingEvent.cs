namespace EventSourcing;

/// <summary>
/// What a policy produced for one upstream event: new events and view changes, recorded together with the
/// tracking record of the upstream notification, atomically.
/// </summary>
public sealed class ProcessingEvent
{
    private readonly ProcessingBatch _batch;

    internal ProcessingEvent(ProcessingBatch batch, Tracking tracking, EventMetadata metadata, EventMetadata? upstreamMetadata)
    {
        _batch = batch;
        Tracking = tracking;
        Metadata = metadata;
        UpstreamMetadata = upstreamMetadata;
    }

    /// <summary>The upstream application and notification id being processed.</summary>
    public Tracking Tracking { get; }

    /// <summary>
    /// The metadata the collected events get: the upstream event's correlation id (a new one when it has none), the
    /// upstream notification as their causation, and the trace context of this processing.
    /// </summary>
    public EventMetadata Metadata { get; }

    /// <summary>The metadata of the upstream event being processed; null for an event recorded before metadata existed.</summary>
    public EventMetadata? UpstreamMetadata { get; }

    /// <summary>Collects the pending events of these aggregates, to be recorded with the tracking record.</summary>
    public void CollectEvents(params Aggregate[] aggregates)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        foreach (var aggregate in aggregates)
        {
            ArgumentNullException.ThrowIfNull(aggregate, nameof(aggregates));
            _batch.Collect(aggregate, Metadata);
        }
    }

    /// <summary>Adds a change to a materialized view, applied in the same transaction as the tracking record.</summary>
    public void AddViewChange(IViewChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _batch.ViewChanges.Add(change);
    }
}
