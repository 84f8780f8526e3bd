namespace EventSourcing.Popo;

/// <summary>In-memory process recorder: events, tracking rows and view changes are written under one lock, all or none.</summary>
public class PopoProcessRecorder : PopoApplicationRecorder, IProcessRecorder
{
    private readonly Dictionary<string, SortedSet<long>> _tracking = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _leaderLogs = new(StringComparer.Ordinal);
    private readonly PopoTransaction _transaction = new();

    public Task<IReadOnlyList<long>> InsertAsync(RecordingBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // The lock is not held across an await: view changes for this backend complete synchronously.
        lock (SyncRoot)
        {
            CheckEvents(batch.Events);
            CheckTracking(batch.Tracking);
            if (batch.ViewChanges.Count > 0)
            {
                ApplyViewChanges(batch.ViewChanges, cancellationToken);
            }

            foreach (var tracking in batch.Tracking)
            {
                if (!_tracking.TryGetValue(tracking.ApplicationName, out var ids))
                {
                    ids = [];
                    _tracking[tracking.ApplicationName] = ids;
                }

                ids.Add(tracking.NotificationId);
            }

            return Task.FromResult(AppendNotifications(batch.Events));
        }
    }

    public Task<T> ReadViewAsync<T>(Func<IRecorderTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        IRecorderTransaction snapshot;
        lock (SyncRoot)
        {
            // Committed view state is never mutated, only replaced, so it can be read outside the lock.
            snapshot = _transaction.Read();
        }

        return read(snapshot, cancellationToken);
    }

    public Task<long> MaxTrackingIdAsync(string applicationName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        lock (SyncRoot)
        {
            return Task.FromResult(_tracking.TryGetValue(applicationName, out var ids) && ids.Count > 0 ? ids.Max : 0L);
        }
    }

    public Task<bool> HasTrackingIdAsync(string applicationName, long notificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        lock (SyncRoot)
        {
            return Task.FromResult(_tracking.TryGetValue(applicationName, out var ids) && ids.Contains(notificationId));
        }
    }

    public Task<IReadOnlyList<long>> SelectTrackingIdsAsync(string applicationName, long start, long stop, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        lock (SyncRoot)
        {
            IReadOnlyList<long> ids = limit > 0 && start <= stop && _tracking.TryGetValue(applicationName, out var tracked)
                ? [.. tracked.GetViewBetween(start, stop).Take(limit)]
                : [];
            return Task.FromResult(ids);
        }
    }

    public Task<Guid?> GetLeaderLogIdAsync(string leaderName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaderName);
        lock (SyncRoot)
        {
            return Task.FromResult(_leaderLogs.TryGetValue(leaderName, out var logId) ? logId : (Guid?)null);
        }
    }

    public Task<long> AcceptLeaderLogAsync(string leaderName, Guid logId, long keepTrackingUpTo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaderName);
        ArgumentOutOfRangeException.ThrowIfNegative(keepTrackingUpTo);
        lock (SyncRoot)
        {
            _leaderLogs[leaderName] = logId;
            return Task.FromResult(_tracking.TryGetValue(leaderName, out var ids) ? (long)ids.RemoveWhere(id => id > keepTrackingUpTo) : 0L);
        }
    }

    private void CheckTracking(IReadOnlyList<Tracking> tracking)
    {
        HashSet<(string, long)>? seen = tracking.Count > 1 ? [] : null;
        foreach (var t in tracking)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(tracking));
            if ((seen is not null && !seen.Add((t.ApplicationName, t.NotificationId)))
                || (_tracking.TryGetValue(t.ApplicationName, out var ids) && ids.Contains(t.NotificationId)))
            {
                throw new IntegrityException($"Notification {t.NotificationId} of {t.ApplicationName} is already tracked");
            }
        }
    }

    private void ApplyViewChanges(IReadOnlyList<IViewChange> changes, CancellationToken cancellationToken)
    {
        var staged = _transaction.Begin();
        foreach (var change in changes)
        {
            var task = change.ApplyAsync(staged, cancellationToken);
            if (!task.IsCompleted)
            {
                throw new ProgrammingException($"{change.GetType().Name} must complete synchronously on the in-memory backend");
            }

            if (task.IsFaulted)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(task.Exception!.InnerException ?? task.Exception);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        _transaction.Commit(staged);
    }
}
