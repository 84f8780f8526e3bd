using Microsoft.Extensions.Logging;

namespace EventSourcing;

/// <summary>What a pipe checks of each batch before it processes it: that it comes from the log it has followed, in order.</summary>
public sealed partial class LeaderPipe
{
    // The leader's log as the follower last accepted it (read from the follower's store once, then kept).
    private Guid? _acceptedLogId;
    private bool _acceptedLogIdRead;

    /// <summary>
    /// Checks that the batch comes from the leader log this follower has followed: the same log id (the first ever is
    /// remembered), and a log that has not fallen back behind the follower's position. Otherwise raises
    /// <see cref="LeaderLogException"/> naming both logs and positions, or, when the pipe may accept a new leader log,
    /// accepts it: the follower's tracking of the leader goes back to where the new log starts (0 for another log,
    /// the leader's maximum for one rolled back), and the method returns false so that the log is read again from there.
    /// </summary>
    private ValueTask<bool> CheckLogAsync(NotificationBatch batch, long position, CancellationToken cancellationToken)
        => _acceptedLogIdRead && _acceptedLogId == batch.LogId && batch.MaxNotificationId >= position
            ? ValueTask.FromResult(true)
            : new ValueTask<bool>(CheckLogSlowlyAsync(batch, position, cancellationToken));

    /// <summary><see cref="CheckLogAsync"/> for the first batch, and for one from another log than the accepted one.</summary>
    private async Task<bool> CheckLogSlowlyAsync(NotificationBatch batch, long position, CancellationToken cancellationToken)
    {
        if (!_acceptedLogIdRead)
        {
            _acceptedLogId = await _follower.Recorder.GetLeaderLogIdAsync(Leader, cancellationToken);
            _acceptedLogIdRead = true;
        }

        var replaced = _acceptedLogId is { } accepted && accepted != batch.LogId;
        var rolledBack = !replaced && batch.MaxNotificationId < position;
        if (!replaced && !rolledBack)
        {
            if (_acceptedLogId is null)
            {
                await _follower.Recorder.AcceptLeaderLogAsync(Leader, batch.LogId, long.MaxValue, cancellationToken);
                _acceptedLogId = batch.LogId;
            }

            return true;
        }

        var what = replaced
            ? $"{_source.Description} is another log than the one {Follower.Name} has followed: its log id is {batch.LogId}, not {_acceptedLogId}, "
                + $"and its last notification is {batch.MaxNotificationId} while {Follower.Name} has processed up to {position}. A log made again "
                + "(tables recreated, an in-memory leader restarted) numbers other events with the same ids"
            : $"{_source.Description} ends at notification {batch.MaxNotificationId}, before {position}, which {Follower.Name} has processed "
                + $"(log {batch.LogId}): the log was rolled back (an older backup restored?), and its next events would take ids already tracked";
        if (!_options.AcceptNewLeaderLog)
        {
            throw new LeaderLogException(
                $"{what}. {Follower.Name} stops following {Leader} rather than skip or re-apply events; "
                + $"to follow the log {Leader} has now, restart {Follower.Name} with --accept-new-leader-log {Leader} (PipeOptions.AcceptNewLeaderLog in code)");
        }

        var keepUpTo = replaced ? 0 : batch.MaxNotificationId;
        var forgotten = await _follower.Recorder.AcceptLeaderLogAsync(Leader, batch.LogId, keepUpTo, cancellationToken);
        _acceptedLogId = batch.LogId;
        lock (_lock)
        {
            _position = keepUpTo;
        }

        LeaderLogAccepted(_logger, what, forgotten, keepUpTo + 1);
        return false;
    }

    /// <summary>
    /// Raises <see cref="LeaderLogException"/> unless the batch keeps the log's order: ids strictly ascending, above
    /// the position the pipe asked from, none above the leader's maximum, and a position that covers them.
    /// </summary>
    private void CheckOrder(NotificationBatch batch, long position)
    {
        var previous = position;
        foreach (var notification in batch.Notifications)
        {
            if (notification.Id <= previous)
            {
                throw new LeaderLogException(
                    $"{_source.Description} sent notification {notification.Id} after {previous}: ids must be above {Follower.Name}'s position {position} and ascending");
            }

            previous = notification.Id;
        }

        if (previous > batch.MaxNotificationId || batch.Position < previous || batch.Position > batch.MaxNotificationId)
        {
            throw new LeaderLogException(
                $"{_source.Description} sent a batch up to notification {previous} with position {batch.Position} and maximum {batch.MaxNotificationId}: "
                + "the ids and the position must not pass the maximum, and the position must cover the ids");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What}. Accepted as asked: forgot {Forgotten} tracked notifications, following it from notification {Start}")]
    private static partial void LeaderLogAccepted(ILogger logger, string what, long forgotten, long start);
}
