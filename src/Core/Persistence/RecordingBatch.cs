namespace EventSourcing;

/// <summary>What a process application writes in one transaction: new events, tracking rows, and changes to its own views.</summary>
public sealed class RecordingBatch
{
    public RecordingBatch(
        IReadOnlyList<StoredEvent> events,
        IReadOnlyList<Tracking> tracking,
        IReadOnlyList<IViewChange>? viewChanges = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(tracking);
        Events = events;
        Tracking = tracking;
        ViewChanges = viewChanges ?? [];
    }

    public IReadOnlyList<StoredEvent> Events { get; }

    public IReadOnlyList<Tracking> Tracking { get; }

    public IReadOnlyList<IViewChange> ViewChanges { get; }
}
