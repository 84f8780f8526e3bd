namespace EventSourcing;

/// <summary>An aggregate recorder that also numbers every event in one notification log.</summary>
public interface IApplicationRecorder : IAggregateRecorder
{
    /// <summary>
    /// Notifications with <paramref name="start"/> &lt;= id (&lt;= <paramref name="stop"/>), whose topic is
    /// in <paramref name="topics"/> when given, ascending, at most <paramref name="limit"/>.
    /// Ids become visible in increasing order: no id appears after a greater one was seen.
    /// </summary>
    Task<IReadOnlyList<Notification>> SelectNotificationsAsync(
        long start,
        int limit,
        long? stop = null,
        IReadOnlyCollection<string>? topics = null,
        CancellationToken cancellationToken = default);

    /// <summary>The greatest notification id, 0 when the log is empty.</summary>
    Task<long> MaxNotificationIdAsync(CancellationToken cancellationToken = default);

    /// <summary>The identity of this notification log: a UUID made with its tables, the same for every recorder on those tables, new when the tables are made again (in memory: new for each recorder).</summary>
    Task<Guid> GetLogIdAsync(CancellationToken cancellationToken = default);
}
