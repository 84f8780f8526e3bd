namespace EventSourcing;

/// <summary>An application's notifications in the order they were recorded, for followers to read.</summary>
public sealed class NotificationLog(IApplicationRecorder recorder, NotificationSignal signal)
{
    /// <summary>The most notifications one <see cref="SelectAsync"/> call returns.</summary>
    public const int MaxLimit = 10_000;

    public NotificationSignal Signal { get; } = signal;

    /// <summary>
    /// Notifications with <paramref name="start"/> &lt;= id (&lt;= <paramref name="stop"/>), of the given
    /// topics when any are given, ascending, at most <paramref name="limit"/> (capped at <see cref="MaxLimit"/>).
    /// </summary>
    public Task<IReadOnlyList<Notification>> SelectAsync(
        long start,
        int limit,
        long? stop = null,
        IReadOnlyCollection<string>? topics = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return recorder.SelectNotificationsAsync(Math.Max(1, start), Math.Min(limit, MaxLimit), stop, topics, cancellationToken);
    }

    public Task<long> MaxNotificationIdAsync(CancellationToken cancellationToken = default)
        => recorder.MaxNotificationIdAsync(cancellationToken);

    /// <summary>
    /// The log's identity (see <see cref="IApplicationRecorder.GetLogIdAsync"/>): a follower that finds it changed is
    /// reading a replaced log, whose notification ids say nothing about the positions it has tracked.
    /// </summary>
    public Task<Guid> GetLogIdAsync(CancellationToken cancellationToken = default)
        => recorder.GetLogIdAsync(cancellationToken);
}
