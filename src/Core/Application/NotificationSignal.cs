namespace EventSourcing;

/// <summary>
/// Wakes readers when an application records new notifications, so followers wait on a task
/// rather than polling the database.
/// </summary>
public sealed class NotificationSignal
{
    /// <summary>The most notifications <see cref="KeepRecorded"/> keeps: enough to span a reader's wake-up.</summary>
    internal const int RecordedCapacity = 1_024;

    /// <summary>The most bytes of stored state it keeps, whatever their count.</summary>
    internal const long RecordedBytes = 4L << 20;

    private readonly Lock _lock = new();

    // Made by the first waiter and completed by the next publish, so a publish that nobody awaits allocates nothing.
    private TaskCompletionSource? _changed;
    private long _maxNotificationId;

    // Guarded by _lock; null while no reader wants them (KeepRecorded, StopKeepingRecorded). What this process
    // committed lately, with gaps where other processes' commits (or failed ones) took ids.
    private NotificationWindow? _recorded;
    private int _keepers;

    /// <summary>The greatest notification id published so far in this process (0 before the first).</summary>
    public long MaxNotificationId => Interlocked.Read(ref _maxNotificationId);

    /// <summary>Whether the notifications this process records are wanted (<see cref="KeepRecorded"/>).</summary>
    internal bool KeepsRecorded => Volatile.Read(ref _recorded) is not null;

    /// <summary>Announces that ids up to <paramref name="notificationId"/> are committed and visible.</summary>
    public void Publish(long notificationId)
    {
        TaskCompletionSource? released;
        lock (_lock)
        {
            released = Advance(notificationId);
        }

        released?.TrySetResult();
    }

    /// <summary>
    /// From now on, keeps the latest notifications this process commits (<see cref="Publish(IReadOnlyList{Notification})"/>),
    /// so that a reader woken by a commit takes them from here instead of reading back what was just written.
    /// </summary>
    internal void KeepRecorded()
    {
        lock (_lock)
        {
            _keepers++;
            _recorded ??= new NotificationWindow(RecordedCapacity, RecordedBytes);
        }
    }

    /// <summary>One reader that called <see cref="KeepRecorded"/> no longer wants them; after the last, nothing is kept.</summary>
    internal void StopKeepingRecorded()
    {
        lock (_lock)
        {
            if (_keepers > 0 && --_keepers == 0)
            {
                _recorded = null;
            }
        }
    }

    /// <summary>
    /// Drops what is kept beyond <paramref name="notificationId"/>, the log's maximum as a reader has just read it:
    /// anything beyond is no longer in the log (rolled back, or the log replaced), or was committed since and is read.
    /// </summary>
    internal void ForgetRecordedAfter(long notificationId)
    {
        lock (_lock)
        {
            _recorded?.RemoveAfter(notificationId);
        }
    }

    /// <summary>
    /// Announces a commit of this process with what it recorded (ascending ids, as the store gave them), kept for
    /// <see cref="TakeRecorded"/> when <see cref="KeepsRecorded"/>.
    /// </summary>
    internal void Publish(IReadOnlyList<Notification> recorded)
    {
        if (recorded.Count == 0)
        {
            return;
        }

        TaskCompletionSource? released;
        lock (_lock)
        {
            if (_recorded is { } kept)
            {
                // Commits may announce themselves out of order; an id kept already was reused after a rollback.
                foreach (var notification in recorded)
                {
                    kept.Add(notification);
                }

                kept.Trim();
            }

            released = Advance(recorded[^1].Id);
        }

        released?.TrySetResult();
    }

    /// <summary>
    /// The kept notifications that follow <paramref name="after"/> without a gap (at most <paramref name="limit"/>);
    /// empty when the one after it is not kept (recorded by another process, or dropped): then read the log.
    /// </summary>
    internal IReadOnlyList<Notification> TakeRecorded(long after, int limit)
    {
        lock (_lock)
        {
            if (_recorded is not { } kept)
            {
                return [];
            }

            var taken = new List<Notification>();
            var expected = after + 1;
            for (var i = kept.IndexFrom(expected); i < kept.Count && taken.Count < limit && kept[i].Id == expected; i++, expected++)
            {
                taken.Add(kept[i]);
            }

            return taken;
        }
    }

    /// <summary>Completes once an id greater than <paramref name="notificationId"/> has been published.</summary>
    public async Task WaitBeyondAsync(long notificationId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_maxNotificationId > notificationId)
                {
                    return;
                }

                _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Under the lock: the waiters to release, if <paramref name="notificationId"/> is news.</summary>
    private TaskCompletionSource? Advance(long notificationId)
    {
        if (notificationId <= _maxNotificationId)
        {
            return null;
        }

        Interlocked.Exchange(ref _maxNotificationId, notificationId);
        var released = _changed;
        _changed = null;
        return released;
    }
}
