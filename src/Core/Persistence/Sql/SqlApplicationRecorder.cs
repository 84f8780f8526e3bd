namespace EventSourcing.Sql;

/// <summary>
/// Events numbered in one notification log. Each backend's write transaction commits writers one at a time, in the
/// order their ids were drawn, so ids become visible in increasing order.
/// </summary>
public class SqlApplicationRecorder : SqlAggregateRecorder, IApplicationRecorder, ICommitWatcher
{
    internal SqlApplicationRecorder(SqlDatastore datastore)
        : base(datastore, datastore.Sql.Events)
    {
    }

    public Task WatchCommitsAsync(Func<long?, CancellationToken, Task> onCommits, CancellationToken cancellationToken)
        => Datastore.WatchCommitsAsync(onCommits, cancellationToken);

    public async Task<IReadOnlyList<Notification>> SelectNotificationsAsync(
        long start,
        int limit,
        long? stop = null,
        IReadOnlyCollection<string>? topics = null,
        CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);
        var hasTopics = topics is { Count: > 0 };
        var sql = Datastore.Sql.SelectNotifications(stop is not null, hasTopics);
        var query = new NotificationQuery(start, limit, stop, hasTopics ? [.. topics!] : null);
        return await Datastore.ReadAsync((connection, ct) => Datastore.SelectNotificationsAsync(connection, sql, query, ct), cancellationToken);
    }

    public async Task<long> MaxNotificationIdAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return (long)(await Datastore.ScalarAsync(Datastore.Sql.MaxNotificationId, bind: null, cancellationToken))!;
    }

    /// <remarks>
    /// Read once per module, with the check that the tables are this application's; a log replaced later, while the
    /// module lives, is not noticed.
    /// </remarks>
    public Task<Guid> GetLogIdAsync(CancellationToken cancellationToken = default) => Datastore.LogIdentity.GetAsync(cancellationToken);
}
