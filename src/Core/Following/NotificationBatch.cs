namespace EventSourcing;

/// <summary>
/// Notifications a source read in one go, ascending, with how far it scanned: every id up to <see cref="Position"/>
/// was read (those not of the followed topics left out), so a follower may track <see cref="Position"/> once it has
/// processed <see cref="Notifications"/>.
/// </summary>
/// <param name="MaxNotificationId">The greatest id in the leader's log when the batch was read.</param>
/// <param name="LogId">The identity of the leader's log (see <see cref="IApplicationRecorder.GetLogIdAsync"/>).</param>
public sealed record NotificationBatch(IReadOnlyList<Notification> Notifications, long Position, long MaxNotificationId, Guid LogId);
