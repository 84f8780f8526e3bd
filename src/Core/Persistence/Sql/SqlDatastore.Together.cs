namespace EventSourcing.Sql;

/// <summary>
/// Group commit. Writes queue up; one caller at a time (the committer) takes every queued write, up to
/// <see cref="MaxWritesTogether"/>, and commits them in one transaction, so concurrent writers share one commit (one
/// lock of the log, one flush to disk) instead of taking turns. Each write is still whole or not at all, gets the ids
/// of its own events, and fails only for its own reasons:
/// <list type="bullet">
/// <item>A write alone in the queue is committed alone, as it would be without the others.</item>
/// <item>When a write fails while the transaction is filled (a conflict, say), nothing was committed: the others are
/// committed together without it, and it is tried alone, which gives it the outcome it would have had by itself.</item>
/// <item>When the commit is refused for what a statement did (a backend that sends statements at the commit), the
/// group is split in halves, each tried in the same way, until the failing write is alone.</item>
/// <item>When the transaction cannot begin, or the commit fails for the store's reasons (the connection lost, when
/// whether it committed is not known), every write of the group gets that error, as a write alone would.</item>
/// </list>
/// </summary>
internal abstract partial class SqlDatastore
{
    /// <summary>The most writes one transaction takes; the rest wait for the next.</summary>
    internal const int MaxWritesTogether = 100;

    private readonly SemaphoreSlim _committer = new(1, 1);
    private readonly Queue<QueuedWrite> _queued = new();
    private long _writesCommittedTogether;

    /// <summary>How many writes were committed in a transaction with others, since this datastore was made.</summary>
    internal long WritesCommittedTogether => Interlocked.Read(ref _writesCommittedTogether);

    private async Task<IReadOnlyList<long>> WriteTogetherAsync(Func<SqlWriter, CancellationToken, Task> fill, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new QueuedWrite(fill);
        lock (_queued)
        {
            _queued.Enqueue(write);
        }

        bool committer;
        try
        {
            await _committer.WaitAsync(cancellationToken);
            committer = true;
        }
        catch (OperationCanceledException)
        {
            if (write.TryWithdraw())
            {
                throw;
            }

            // Another committer took the write before the cancellation: its outcome is the caller's.
            committer = false;
        }

        if (committer)
        {
            try
            {
                while (!write.IsTaken)
                {
                    await CommitQueuedAsync(write, cancellationToken);
                }
            }
            finally
            {
                _committer.Release();
            }
        }

        return await write.Outcome;
    }

    /// <summary>Takes the queued writes (<paramref name="own"/> among them, or before them) and commits them.</summary>
    private async Task CommitQueuedAsync(QueuedWrite own, CancellationToken cancellationToken)
    {
        var group = new List<QueuedWrite>();
        lock (_queued)
        {
            while (group.Count < MaxWritesTogether && _queued.TryDequeue(out var next))
            {
                if (next.TryTake())
                {
                    group.Add(next);
                }
            }
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (group.Count == 1)
        {
            // Only the caller's own write may be given up when the caller is cancelled.
            await CommitAloneAsync(group[0], group[0] == own ? cancellationToken : CancellationToken.None);
        }
        else if (group.Count > 1)
        {
            await CommitGroupAsync(group);
        }

        if (group.Count > 0)
        {
            EventSourcing.Diagnostics.Instruments.Committed(Backend, group.Count, started);
        }
    }

    /// <summary>Commits <paramref name="group"/> in one transaction, or as the rules above say when that fails.</summary>
    private async Task CommitGroupAsync(List<QueuedWrite> group)
    {
        if (group.Count == 1)
        {
            await CommitAloneAsync(group[0], CancellationToken.None);
            return;
        }

        var starts = new int[group.Count];
        var ends = new int[group.Count];
        var failed = -1;
        var filled = false;
        IReadOnlyList<long> ids;
        try
        {
            ids = await WriteAloneAsync(
                async (writer, ct) =>
                {
                    for (var i = 0; i < group.Count; i++)
                    {
                        starts[i] = writer.NumberedRows;
                        failed = i;
                        await group[i].Fill(writer, ct);
                        ends[i] = writer.NumberedRows;
                    }

                    failed = -1;
                    filled = true;
                },
                CancellationToken.None);
        }
        catch (Exception) when (failed >= 0)
        {
            // One write failed while the transaction was filled: the others go on without it, and alone it gets the
            // outcome it would have had by itself.
            await CommitGroupAsync([.. group.Take(failed), .. group.Skip(failed + 1)]);
            await CommitAloneAsync(group[failed], CancellationToken.None);
            return;
        }
        catch (Exception ex) when (filled && ex is IntegrityException or ProgrammingException)
        {
            // Refused at the commit for what one of the writes did, not known which: nothing was committed, so each
            // half is tried on its own, until the failing write is alone.
            await CommitGroupAsync(group[..(group.Count / 2)]);
            await CommitGroupAsync(group[(group.Count / 2)..]);
            return;
        }
        catch (Exception ex)
        {
            // The transaction could not begin, or its commit failed for the store's reasons: as for a write alone.
            foreach (var write in group)
            {
                write.Fail(ex);
            }

            return;
        }

        if (ids.Count != ends[^1])
        {
            var error = new ProgrammingException($"{Backend}: a transaction of {group.Count} writes inserted {ends[^1]} numbered rows but returned {ids.Count} ids");
            foreach (var write in group)
            {
                write.Fail(error);
            }

            return;
        }

        Interlocked.Add(ref _writesCommittedTogether, group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Succeed(starts[i] == ends[i] ? [] : [.. ids.Skip(starts[i]).Take(ends[i] - starts[i])]);
        }
    }

    private async Task CommitAloneAsync(QueuedWrite write, CancellationToken cancellationToken)
    {
        try
        {
            write.Succeed(await WriteAloneAsync(write.Fill, cancellationToken));
        }
        catch (Exception ex)
        {
            write.Fail(ex);
        }
    }

    /// <summary>A write waiting for a committer: queued, then taken by one (or withdrawn by its cancelled caller).</summary>
    private sealed class QueuedWrite(Func<SqlWriter, CancellationToken, Task> fill)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Withdrawn = 2;

        private readonly TaskCompletionSource<IReadOnlyList<long>> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state = Queued;

        public Func<SqlWriter, CancellationToken, Task> Fill { get; } = fill;

        public Task<IReadOnlyList<long>> Outcome => _outcome.Task;

        public bool IsTaken => Volatile.Read(ref _state) == Taken;

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;

        public void Succeed(IReadOnlyList<long> ids) => _outcome.SetResult(ids);

        public void Fail(Exception error) => _outcome.SetException(error);
    }
}
