namespace EventSourcing;

/// <summary>
/// A bounded, least-recently-used cache of aggregates. Each entry is an aggregate nobody outside the cache references:
/// a get receives a copy of it (<see cref="StateCopier"/>), so a caller changing the aggregate it was given (and then
/// failing to save) cannot change the cache. After a save, the saved events are applied to the entry itself (copies of
/// them, since an aggregate may keep parts of its events), which costs what the events cost rather than what the
/// aggregate holds; the entry is then what a replay from the store would give, as an aggregate's state is what its
/// events made it. An entry is copied and advanced under its own lock, so a large aggregate is copied without holding
/// up the rest of the cache.
/// </summary>
internal sealed class AggregateCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _order = new();

    public int Capacity { get; } = capacity;

    /// <summary>A copy of the cached aggregate, or false when there is none (or it can no longer be copied).</summary>
    public bool TryCopy(Guid id, out Aggregate copy)
    {
        if (Find(id) is not { } entry)
        {
            copy = null!;
            return false;
        }

        lock (entry.Gate)
        {
            if (!entry.Evicted)
            {
                try
                {
                    copy = StateCopier.Copy(entry.State);
                    return true;
                }
                catch (Exception)
                {
                    // Events applied since it was put left something that cannot be copied: the caller reads the store.
                }
            }
        }

        Evict(id, entry);
        copy = null!;
        return false;
    }

    /// <summary>
    /// Applies <paramref name="events"/> (one aggregate's, just saved, in order) to the cached aggregate when it is at
    /// the version before them. False when it is not there, or at another version, or the events would not apply:
    /// then the caller puts a copy of the saved aggregate instead.
    /// </summary>
    public bool TryAdvance(Guid id, IReadOnlyList<DomainEvent> events)
    {
        if (events.Count == 0 || Find(id) is not { } entry)
        {
            return false;
        }

        lock (entry.Gate)
        {
            if (entry.Evicted || entry.State.Version != events[0].OriginatorVersion - 1)
            {
                return false;
            }

            try
            {
                foreach (var domainEvent in events)
                {
                    entry.State.Replay(StateCopier.Copy(domainEvent));
                }

                // Replaced meanwhile by an older copy (a put checks the version without this lock): the caller puts its
                // own, newer, copy.
                return !entry.Evicted;
            }
            catch (Exception)
            {
                // Half applied: the entry is no longer the aggregate at any version.
                entry.Evicted = true;
            }
        }

        Evict(id, entry);
        return false;
    }

    /// <summary>Caches <paramref name="aggregate"/>, which the caller hands over (nobody else may reference it), unless a newer version is cached.</summary>
    public void Put(Aggregate aggregate)
    {
        if (Capacity <= 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(aggregate.Id, out var node))
            {
                // Never replace newer state with older (two writers racing to fill the cache).
                var current = node.Value;
                if (!current.Evicted && current.State.Version > aggregate.Version)
                {
                    return;
                }

                current.Evicted = true;
                node.Value = new Entry(aggregate);
                _order.Remove(node);
                _order.AddFirst(node);
                return;
            }

            _entries[aggregate.Id] = _order.AddFirst(new Entry(aggregate));
            if (_entries.Count > Capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _entries.Remove(last.Value.State.Id);
                last.Value.Evicted = true;
            }
        }
    }

    public void Evict(Guid id) => Evict(id, null);

    private Entry? Find(Guid id)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(id, out var node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value;
        }
    }

    /// <summary>Removes the entry of <paramref name="id"/>: any, or only <paramref name="only"/> when it is still the one cached.</summary>
    private void Evict(Guid id, Entry? only)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var node) && (only is null || node.Value == only))
            {
                _entries.Remove(id);
                _order.Remove(node);
                node.Value.Evicted = true;
            }
        }
    }

    /// <summary>A cached aggregate, locked (<see cref="Gate"/>) while it is copied or advanced. Evicted: out of the cache (or half advanced), not to be copied again.</summary>
    private sealed class Entry(Aggregate state)
    {
        private volatile bool _evicted;

        public Lock Gate { get; } = new();

        public Aggregate State { get; } = state;

        public bool Evicted
        {
            get => _evicted;
            set => _evicted = value;
        }
    }
}
