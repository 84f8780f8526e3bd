namespace EventSourcing;

/// <summary>
/// A leader's notification log as a follower reads it: in the same process (<see cref="LocalNotificationSource"/>)
/// or from another node over gRPC. Catching up and then waiting for new notifications is the source's business;
/// processing and tracking is the <see cref="LeaderPipe"/>'s.
/// </summary>
public interface INotificationSource
{
    /// <summary>The leader's name: what the follower's tracking rows record.</summary>
    string LeaderName { get; }

    /// <summary>Where the source reads from, for logs and status (<c>DogSchool at http://127.0.0.1:5001</c>).</summary>
    string Description { get; }

    /// <summary>
    /// Batches of notifications with id &gt;= <paramref name="start"/>, of <paramref name="topics"/> when given, in
    /// order: first everything recorded so far, then new notifications as they are committed. The first batch comes at
    /// once, even when empty, so a follower learns where the log stands. The sequence ends only when
    /// <paramref name="cancellationToken"/> is cancelled or the source fails.
    /// </summary>
    IAsyncEnumerable<NotificationBatch> SubscribeAsync(long start, IReadOnlyCollection<string>? topics, CancellationToken cancellationToken);
}
