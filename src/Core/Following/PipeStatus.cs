namespace EventSourcing;

/// <summary>A <see cref="LeaderPipe"/> at one moment, for status output.</summary>
/// <param name="Position">Every notification of the leader up to this id has been processed (or was of no interest).</param>
/// <param name="LeaderMaxNotificationId">The leader's greatest notification id, as last heard from the leader.</param>
/// <param name="LeaderLogId">The identity of the leader's log as last heard, null before the first batch.</param>
/// <param name="Reconnects">How many times the pipe has subscribed again after an error.</param>
public sealed record PipeStatus(
    string Leader,
    string Source,
    PipeState State,
    long Position,
    long LeaderMaxNotificationId,
    Guid? LeaderLogId,
    string? LastError,
    int Reconnects)
{
    /// <summary>How far the pipe is behind the leader, as last heard (0 when it is not behind).</summary>
    public long Lag => Math.Max(0, LeaderMaxNotificationId - Position);
}
