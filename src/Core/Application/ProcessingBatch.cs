namespace EventSourcing;

/// <summary>The events, tracking rows and view changes of several processed notifications, written in one transaction.</summary>
internal sealed class ProcessingBatch
{
    public Dictionary<Guid, Aggregate> Aggregates { get; } = [];

    public List<DomainEvent> Events { get; } = [];

    /// <summary>The metadata of each of <see cref="Events"/>, at the same index.</summary>
    public List<EventMetadata> EventMetadata { get; } = [];

    public List<Tracking> Tracking { get; } = [];

    public List<IViewChange> ViewChanges { get; } = [];

    public List<int> VersionsBefore { get; } = [];

    public bool IsEmpty => Tracking.Count == 0;

    public void Collect(Aggregate aggregate, EventMetadata metadata)
    {
        if (Aggregates.TryGetValue(aggregate.Id, out var known) && !ReferenceEquals(known, aggregate))
        {
            throw new ProgrammingException(
                $"Aggregate {aggregate.Id} was collected as two different objects in one batch; get it from the repository instead of creating it again");
        }

        if (known is null)
        {
            Aggregates[aggregate.Id] = aggregate;
            VersionsBefore.Add(aggregate.Version - aggregate.PendingEvents.Count);
        }

        var collected = aggregate.CollectEvents();
        Events.AddRange(collected);
        EventMetadata.AddRange(Enumerable.Repeat(metadata, collected.Count));
    }

    /// <summary>A mark to roll back to when a later notification's policy fails.</summary>
    public (int Events, int Tracking, int ViewChanges) Mark() => (Events.Count, Tracking.Count, ViewChanges.Count);

    public void RollBackTo((int Events, int Tracking, int ViewChanges) mark)
    {
        Events.RemoveRange(mark.Events, Events.Count - mark.Events);
        EventMetadata.RemoveRange(mark.Events, EventMetadata.Count - mark.Events);
        Tracking.RemoveRange(mark.Tracking, Tracking.Count - mark.Tracking);
        ViewChanges.RemoveRange(mark.ViewChanges, ViewChanges.Count - mark.ViewChanges);
    }
}
