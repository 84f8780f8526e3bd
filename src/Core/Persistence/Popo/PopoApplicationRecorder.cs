namespace EventSourcing.Popo;

/// <summary>In-memory events with a notification log. Ids are assigned and made visible under one lock, so they appear in order.</summary>
public class PopoApplicationRecorder : PopoAggregateRecorder, IApplicationRecorder
{
    private readonly List<Notification> _notifications = [];

    // The log lives and dies with this recorder, so each recorder is a log of its own.
    private readonly Task<Guid> _logId = Task.FromResult(Guid.NewGuid());

    public new Task<IReadOnlyList<long>> InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (SyncRoot)
        {
            CheckEvents(events);
            return Task.FromResult(AppendNotifications(events));
        }
    }

    Task<IReadOnlyList<long>> IAggregateRecorder.InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
        => InsertEventsAsync(events, cancellationToken);

    public Task<IReadOnlyList<Notification>> SelectNotificationsAsync(
        long start,
        int limit,
        long? stop = null,
        IReadOnlyCollection<string>? topics = null,
        CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return Task.FromResult<IReadOnlyList<Notification>>([]);
        }

        List<Notification> selected;
        var topicSet = topics is { Count: > 0 } ? topics as IReadOnlySet<string> ?? topics.ToHashSet(StringComparer.Ordinal) : null;
        lock (SyncRoot)
        {
            // Notification ids are 1..Count with no gaps, so id n sits at index n - 1.
            var index = (int)Math.Clamp(start - 1, 0, _notifications.Count);
            var last = stop ?? long.MaxValue;
            // Sized once: a follower's batch of hundreds would otherwise regrow the list several times.
            selected = new List<Notification>(Math.Min(limit, _notifications.Count - index));
            for (; index < _notifications.Count && selected.Count < limit; index++)
            {
                var notification = _notifications[index];
                if (notification.Id > last)
                {
                    break;
                }

                if (topicSet is null || topicSet.Contains(notification.Topic))
                {
                    selected.Add(notification);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<Notification>>(selected);
    }

    public Task<long> MaxNotificationIdAsync(CancellationToken cancellationToken = default)
    {
        lock (SyncRoot)
        {
            return Task.FromResult((long)_notifications.Count);
        }
    }

    public Task<Guid> GetLogIdAsync(CancellationToken cancellationToken = default) => _logId;

    /// <summary>Stores checked events and numbers them. Call with <see cref="PopoAggregateRecorder.SyncRoot"/> held.</summary>
    protected IReadOnlyList<long> AppendNotifications(IReadOnlyList<StoredEvent> events)
    {
        AppendEvents(events);
        var ids = new long[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var id = _notifications.Count + 1L;
            _notifications.Add(new Notification(id, e.OriginatorId, e.OriginatorVersion, e.Topic, e.State, e.Metadata));
            ids[i] = id;
        }

        return ids;
    }
}
