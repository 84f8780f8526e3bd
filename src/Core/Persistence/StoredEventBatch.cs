namespace EventSourcing;

/// <summary>Checks shared by the SQL recorders before they write a batch.</summary>
internal static class StoredEventBatch
{
    /// <summary>Raises when the batch is null or holds an event or a tracking row twice.</summary>
    public static void ThrowIfInvalid(RecordingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfInvalid(batch.Events);
        ThrowIfInvalid(batch.Tracking);
    }

    /// <summary>True when the batch writes nothing, so a recorder can answer without a round trip.</summary>
    public static bool IsEmpty(RecordingBatch batch)
        => batch.Events.Count == 0 && batch.Tracking.Count == 0 && batch.ViewChanges.Count == 0;

    /// <summary>Raises <see cref="IntegrityException"/> when the batch holds two events for one (originator id, version).</summary>
    public static void ThrowIfInvalid(IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count < 2)
        {
            if (events.Count == 1)
            {
                ArgumentNullException.ThrowIfNull(events[0], nameof(events));
            }

            return;
        }

        var seen = new HashSet<(Guid, int)>(events.Count);
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(events));
            if (!seen.Add((e.OriginatorId, e.OriginatorVersion)))
            {
                throw new IntegrityException($"The batch holds two events for aggregate {e.OriginatorId} at version {e.OriginatorVersion}");
            }
        }
    }

    /// <summary>Raises <see cref="IntegrityException"/> when the batch holds the same tracking row twice.</summary>
    public static void ThrowIfInvalid(IReadOnlyList<Tracking> tracking)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        var seen = new HashSet<(string, long)>(tracking.Count);
        foreach (var t in tracking)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(tracking));
            ArgumentException.ThrowIfNullOrEmpty(t.ApplicationName, nameof(tracking));
            if (!seen.Add((t.ApplicationName, t.NotificationId)))
            {
                throw new IntegrityException($"The batch tracks notification {t.NotificationId} of {t.ApplicationName} twice");
            }
        }
    }
}
