using System.Runtime.CompilerServices;

namespace EventSourcing;

/// <summary>
/// An application's own notification log as a source: reads up to what is committed, then waits on the application's
/// commit signal (no polling). The in-process runners follow leaders through it, and a node serves its Subscribe
/// stream from it.
/// </summary>
public sealed class LocalNotificationSource(Application leader) : INotificationSource
{
    /// <summary>The most notifications in one batch: one transaction of the follower per batch.</summary>
    public const int BatchSize = 500;

    // The log's identity does not change while the application's recorder is open.
    private Guid? _logId;

    public string LeaderName => leader.Name;

    public string Description => $"{leader.Name} (in this process)";

    /// <summary>
    /// One batch from <paramref name="start"/>: at most <see cref="BatchSize"/> notifications up to the log's current
    /// maximum. Its position is that maximum when the batch is not full (everything up to it was scanned).
    /// </summary>
    public async Task<NotificationBatch> ReadAsync(long start, IReadOnlyCollection<string>? topics, CancellationToken cancellationToken)
    {
        // The maximum first: ids up to it are visible (commit order), so "nothing more up to max" is a safe position.
        var max = await leader.Log.MaxNotificationIdAsync(cancellationToken);
        var logId = _logId ??= await leader.Log.GetLogIdAsync(cancellationToken);
        if (start > max)
        {
            return new NotificationBatch([], start - 1, max, logId);
        }

        var notifications = await leader.Log.SelectAsync(start, BatchSize, max, topics, cancellationToken);
        var position = notifications.Count < BatchSize ? max : notifications[^1].Id;
        return new NotificationBatch(notifications, position, max, logId);
    }

    public async IAsyncEnumerable<NotificationBatch> SubscribeAsync(
        long start,
        IReadOnlyCollection<string>? topics,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = Math.Max(1, start);
        var first = true;
        while (true)
        {
            var batch = await ReadAsync(next, topics, cancellationToken);
            var progressed = batch.Position >= next;
            if (progressed || first)
            {
                yield return batch;
                first = false;
            }

            next = Math.Max(next, batch.Position + 1);
            if (batch.Position < batch.MaxNotificationId)
            {
                continue;
            }

            await leader.Signal.WaitBeyondAsync(Math.Max(batch.Position, batch.MaxNotificationId), cancellationToken);
        }
    }
}
