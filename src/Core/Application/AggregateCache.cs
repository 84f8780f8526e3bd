namespace EventSourcing;

/// <summary>
/// A bounded, least-recently-used cache of aggregates. It holds copies that nobody else references (see
/// <see cref="StateCopier"/>), never changed once put, so a caller mutating the aggregate it was given (and then
/// failing to save) cannot corrupt the cache, and an entry can be copied out without a lock.
/// </summary>
internal sealed class AggregateCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _order = new();

    public int Capacity { get; } = capacity;

    public bool TryGet(Guid id, out Entry entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                entry = node.Value;
                return true;
            }
        }

        entry = default;
        return false;
    }

    public void Put(Entry entry)
    {
        if (Capacity <= 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(entry.Id, out var node))
            {
                // Never replace newer state with older (two writers racing to fill the cache).
                if (node.Value.Version > entry.Version)
                {
                    return;
                }

                node.Value = entry;
                _order.Remove(node);
                _order.AddFirst(node);
                return;
            }

            _entries[entry.Id] = _order.AddFirst(entry);
            if (_entries.Count > Capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _entries.Remove(last.Value.Id);
            }
        }
    }

    public void Evict(Guid id)
    {
        lock (_lock)
        {
            if (_entries.Remove(id, out var node))
            {
                _order.Remove(node);
            }
        }
    }

    internal readonly record struct Entry(Guid Id, int Version, Aggregate State);
}
