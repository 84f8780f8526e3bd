namespace EventSourcing.Popo;

/// <summary>In-memory ("plain old C# objects") events of aggregates. Thread-safe; one lock serializes writers.</summary>
public class PopoAggregateRecorder : IAggregateRecorder
{
    private readonly Dictionary<Guid, SortedList<int, StoredEvent>> _eventsByOriginator = [];

    protected Lock SyncRoot { get; } = new();

    public Task<IReadOnlyList<long>> InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (SyncRoot)
        {
            CheckEvents(events);
            AppendEvents(events);
        }

        return Task.FromResult<IReadOnlyList<long>>([]);
    }

    public Task<IReadOnlyList<StoredEvent>> SelectEventsAsync(
        Guid originatorId,
        int? gt = null,
        int? lte = null,
        bool desc = false,
        int? limit = null,
        CancellationToken cancellationToken = default)
    {
        List<StoredEvent> selected = [];
        if (limit is <= 0)
        {
            return Task.FromResult<IReadOnlyList<StoredEvent>>(selected);
        }

        lock (SyncRoot)
        {
            if (_eventsByOriginator.TryGetValue(originatorId, out var stored))
            {
                var versions = stored.Keys;
                var first = LowerBound(versions, gt is { } g ? (long)g + 1 : long.MinValue);
                var end = LowerBound(versions, lte is { } l ? (long)l + 1 : long.MaxValue);
                var max = limit ?? int.MaxValue;
                if (desc)
                {
                    for (var i = end - 1; i >= first && selected.Count < max; i--)
                    {
                        selected.Add(stored.Values[i]);
                    }
                }
                else
                {
                    for (var i = first; i < end && selected.Count < max; i++)
                    {
                        selected.Add(stored.Values[i]);
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyList<StoredEvent>>(selected);
    }

    /// <summary>Raises when any event would conflict. Call with <see cref="SyncRoot"/> held.</summary>
    protected void CheckEvents(IReadOnlyList<StoredEvent> events)
    {
        HashSet<(Guid, int)>? seen = events.Count > 1 ? [] : null;
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(events));
            if (seen is not null && !seen.Add((e.OriginatorId, e.OriginatorVersion)))
            {
                throw new IntegrityException($"The batch holds two events for aggregate {e.OriginatorId} at version {e.OriginatorVersion}");
            }

            if (_eventsByOriginator.TryGetValue(e.OriginatorId, out var stored) && stored.ContainsKey(e.OriginatorVersion))
            {
                throw new ConcurrencyException($"Aggregate {e.OriginatorId} already has an event at version {e.OriginatorVersion}");
            }
        }
    }

    /// <summary>Appends checked events. Call with <see cref="SyncRoot"/> held.</summary>
    protected void AppendEvents(IReadOnlyList<StoredEvent> events)
    {
        foreach (var e in events)
        {
            if (!_eventsByOriginator.TryGetValue(e.OriginatorId, out var stored))
            {
                stored = [];
                _eventsByOriginator[e.OriginatorId] = stored;
            }

            stored.Add(e.OriginatorVersion, e);
        }
    }

    private static int LowerBound(IList<int> sorted, long value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
