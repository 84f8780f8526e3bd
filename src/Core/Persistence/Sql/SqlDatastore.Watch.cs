namespace EventSourcing.Sql;

internal abstract partial class SqlDatastore
{
    /// <summary>False for a database no other process can reach; then <see cref="WatchCommitsAsync"/> returns at once.</summary>
    private protected virtual bool OthersCanCommit => true;

    /// <summary>See <see cref="ICommitWatcher.WatchCommitsAsync"/>: listens again with backoff after each failure.</summary>
    public async Task WatchCommitsAsync(Func<long?, CancellationToken, Task> onCommits, CancellationToken cancellationToken)
    {
        if (!OthersCanCommit)
        {
            return;
        }

        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(
                    async (max, ct) =>
                    {
                        await onCommits(max, ct);
                        backoff.Reset();
                    },
                    cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (Translate(ex) is not null || ex is OperationalException))
            {
                await Task.Delay(backoff.Next(), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Listens for commits to the events table, calling <paramref name="onCommits"/> once it listens and then after
    /// each change it hears of (with the greatest id committed, when the backend hears it), until cancelled or the
    /// connection fails.
    /// </summary>
    private protected abstract Task ListenAsync(Func<long?, CancellationToken, Task> onCommits, CancellationToken cancellationToken);
}
