namespace EventSourcing;

/// <summary>
/// A policy threw while processing an upstream notification. Everything before that notification was
/// recorded; the notification itself was not, so its tracking record is absent and it will be processed again.
/// </summary>
public sealed class PolicyException(string follower, string leader, long notificationId, string topic, Exception innerException)
    : EventSourcingException(
        $"{follower} failed to process notification {notificationId} ({topic}) of {leader}: {innerException.Message}",
        innerException)
{
    public string Follower { get; } = follower;

    public string Leader { get; } = leader;

    public long NotificationId { get; } = notificationId;

    public string Topic { get; } = topic;
}
