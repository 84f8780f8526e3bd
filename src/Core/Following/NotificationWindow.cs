namespace EventSourcing;

/// <summary>
/// Notifications kept in memory, ascending by id, within a count and a number of bytes of stored state: past either,
/// the oldest go first (<see cref="Trim"/>). Its owner guards it with a lock of its own.
/// </summary>
internal sealed class NotificationWindow(int maxCount, long maxBytes)
{
    // _items[_first..] are kept; the slots before _first are dropped ones, removed together now and then.
    private readonly List<Notification> _items = [];
    private int _first;
    private long _bytes;

    public int Count => _items.Count - _first;

    /// <summary>The kept notification at <paramref name="index"/>, oldest first.</summary>
    public Notification this[int index] => _items[_first + index];

    /// <summary>The index of the first kept notification with an id of <paramref name="id"/> or more (<see cref="Count"/> when none).</summary>
    public int IndexFrom(long id)
    {
        int low = _first, high = _items.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_items[middle].Id < id)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low - _first;
    }

    /// <summary>Adds <paramref name="notification"/> in id order (usually the newest); one kept with the same id is replaced.</summary>
    public void Add(Notification notification)
    {
        var at = Count > 0 && _items[^1].Id >= notification.Id ? _first + IndexFrom(notification.Id) : _items.Count;
        if (at < _items.Count && _items[at].Id == notification.Id)
        {
            _bytes += notification.State.Length - _items[at].State.Length;
            _items[at] = notification;
            return;
        }

        _items.Insert(at, notification);
        _bytes += notification.State.Length;
    }

    /// <summary>Drops the oldest until within the bounds; returns the id of the last dropped, or null when none was.</summary>
    public long? Trim()
    {
        long? dropped = null;
        while (_first < _items.Count && (Count > maxCount || _bytes > maxBytes))
        {
            var oldest = _items[_first];
            _items[_first++] = null!;
            _bytes -= oldest.State.Length;
            dropped = oldest.Id;
        }

        if (_first > 1024 && _first > _items.Count / 2)
        {
            _items.RemoveRange(0, _first);
            _first = 0;
        }

        return dropped;
    }

    /// <summary>Drops every notification with an id beyond <paramref name="id"/>.</summary>
    public void RemoveAfter(long id)
    {
        var from = _first + IndexFrom(id + 1);
        for (var i = from; i < _items.Count; i++)
        {
            _bytes -= _items[i].State.Length;
        }

        _items.RemoveRange(from, _items.Count - from);
    }

    public void Clear()
    {
        _items.Clear();
        _first = 0;
        _bytes = 0;
    }
}
