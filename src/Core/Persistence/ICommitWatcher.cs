namespace EventSourcing;

/// <summary>
/// A recorder that hears commits made to its log by any process: another node of the same application on a shared
/// database, a script using the library, a save whose caller failed after the commit.
/// </summary>
public interface ICommitWatcher
{
    /// <summary>
    /// Calls <paramref name="onCommits"/> once it listens, again soon after each commit to the log by any process
    /// (within about a second; several commits may share a call, and there may be calls without one), and again after
    /// it had to listen anew (a lost connection) since commits may have been missed meanwhile. Runs until
    /// <paramref name="cancellationToken"/> is cancelled; a store fault is retried with backoff. Returns at once for a
    /// store no other process can reach (in memory).
    /// </summary>
    /// <param name="onCommits">
    /// Given the greatest notification id that the commits it heard of recorded, all ids up to which are committed,
    /// when the store says so (PostgreSQL's notifications carry it); otherwise null, and the log's maximum is to be read.
    /// </param>
    /// <param name="cancellationToken">Stops watching.</param>
    Task WatchCommitsAsync(Func<long?, CancellationToken, Task> onCommits, CancellationToken cancellationToken);
}
