namespace EventSourcing;

/// <summary>An application recorder that also records which upstream notifications were processed.</summary>
public interface IProcessRecorder : IApplicationRecorder
{
    /// <summary>
    /// Writes the events, the tracking rows and the view changes of <paramref name="batch"/> in one transaction.
    /// A tracking row that exists already, or an event conflict, raises <see cref="IntegrityException"/>
    /// and writes nothing. An empty event list with tracking rows is valid.
    /// </summary>
    Task<IReadOnlyList<long>> InsertAsync(RecordingBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// The greatest processed notification id of <paramref name="applicationName"/>, 0 when none. Never decreases,
    /// except through <see cref="AcceptLeaderLogAsync"/>.
    /// </summary>
    Task<long> MaxTrackingIdAsync(string applicationName, CancellationToken cancellationToken = default);

    Task<bool> HasTrackingIdAsync(string applicationName, long notificationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ids of <paramref name="applicationName"/>'s tracking rows with <paramref name="start"/> &lt;= id &lt;=
    /// <paramref name="stop"/>, ascending, at most <paramref name="limit"/> (none for a limit of 0 or less): what an
    /// audit reads, page by page, to check that every notification of interest was processed.
    /// </summary>
    Task<IReadOnlyList<long>> SelectTrackingIdsAsync(string applicationName, long start, long stop, int limit, CancellationToken cancellationToken = default);

    /// <summary>The identity of <paramref name="leaderName"/>'s log as this follower last accepted it, or null before the first.</summary>
    Task<Guid?> GetLeaderLogIdAsync(string leaderName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Accepts <paramref name="logId"/> as <paramref name="leaderName"/>'s log, in one transaction: records it (replacing
    /// any earlier one) and deletes this follower's tracking rows of that leader with ids above
    /// <paramref name="keepTrackingUpTo"/> (none when it is <see cref="long.MaxValue"/>), so that the leader's notifications
    /// after that point are processed again. Returns how many tracking rows it deleted.
    /// </summary>
    Task<long> AcceptLeaderLogAsync(string leaderName, Guid logId, long keepTrackingUpTo, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="read"/> against the committed state of this recorder's views, on the recorder's own
    /// database (for SQLite <c>:memory:</c> there is no other connection to it), and returns its result.
    /// The read must not write. The in-memory backend gives a read-only <see cref="IRecorderTransaction.Store"/>.
    /// </summary>
    Task<T> ReadViewAsync<T>(Func<IRecorderTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default);
}
