namespace EventSourcing;

/// <summary>
/// Wakes readers when an application records new notifications, so followers wait on a task
/// rather than polling the database.
/// </summary>
public sealed class NotificationSignal
{
    private readonly Lock _lock = new();

    // Made by the first waiter and completed by the next publish, so a publish that nobody awaits allocates nothing.
    private TaskCompletionSource? _changed;
    private long _maxNotificationId;

    /// <summary>The greatest notification id published so far in this process (0 before the first).</summary>
    public long MaxNotificationId => Interlocked.Read(ref _maxNotificationId);

    /// <summary>Announces that ids up to <paramref name="notificationId"/> are committed and visible.</summary>
    public void Publish(long notificationId)
    {
        TaskCompletionSource? released;
        lock (_lock)
        {
            if (notificationId <= _maxNotificationId)
            {
                return;
            }

            Interlocked.Exchange(ref _maxNotificationId, notificationId);
            released = _changed;
            _changed = null;
        }

        released?.TrySetResult();
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
}
