using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace EventSourcing;

/// <summary>
/// One reader of an application's notification log, shared by any number of subscribers: after each commit it takes
/// the new notifications once (from the commit itself when this process made it, otherwise by reading the log) and
/// keeps the most recent in memory, and every subscriber that has caught up takes them from there, leaving out the
/// topics it does not follow itself. A subscriber further behind than what is kept reads
/// the log on its own (at most <see cref="NotificationFeedOptions.CatchUpReaders"/> at a time) until it reaches what is
/// kept. A node serves its Subscribe streams from one feed, so that subscribers cost the store one read per commit,
/// not one each. The feed reads only while it has subscribers.
/// </summary>
public sealed class NotificationFeed : INotificationSource, IAsyncDisposable
{
    private readonly Application _leader;
    private readonly NotificationFeedOptions _options;
    private readonly LocalNotificationSource _direct;
    private readonly SemaphoreSlim _catchUpReaders;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _lock = new();

    // Guarded by _lock. The kept notifications are _kept, ascending; every notification of the log with an id
    // in [_keptFrom, _head] is among them. _head is -1 while the feed has not read the log (no subscriber yet, or since
    // an error), and then nothing is kept.
    private readonly NotificationWindow _kept;
    private long _keptFrom = long.MaxValue;
    private long _head = -1;
    private long _max;
    private Guid _logId;
    private int _subscribers;
    private TaskCompletionSource _advanced = NewSignal();
    private TaskCompletionSource? _wanted;
    private Task? _reader;
    private NotificationBatch? _shared;
    private long _sharedFrom;
    private long _sharedReads;
    private long _lastRead;
    private long _catchUpReads;

    public NotificationFeed(Application leader, NotificationFeedOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(leader);
        _leader = leader;
        _options = options ?? new NotificationFeedOptions();
        _direct = new LocalNotificationSource(leader);
        _kept = new NotificationWindow(_options.KeptNotifications, _options.KeptBytes);
        leader.Signal.KeepRecorded();
        _catchUpReaders = new SemaphoreSlim(_options.CatchUpReaders);
    }

    public string LeaderName => _leader.Name;

    public string Description => $"{_leader.Name} (in this process, shared)";

    /// <summary>How many subscriptions are open now.</summary>
    public int Subscribers
    {
        get
        {
            lock (_lock)
            {
                return _subscribers;
            }
        }
    }

    /// <summary>
    /// How many times the feed's reader has read the log for its subscribers: once per commit at most (commits that
    /// come together are read together), however many subscribers there are, and none for what this process's own
    /// commits recorded, which it takes as they commit.
    /// </summary>
    public long SharedReads => Interlocked.Read(ref _sharedReads);

    /// <summary>How many batches subscribers older than what is kept have read from the log on their own.</summary>
    public long CatchUpReads => Interlocked.Read(ref _catchUpReads);

    /// <summary>
    /// Batches as <see cref="LocalNotificationSource.SubscribeAsync"/> gives them (at most
    /// <see cref="LocalNotificationSource.BatchSize"/> notifications each, the first at once), taken from what the feed
    /// keeps once the subscription has caught up. A store error of the feed's reader ends every subscription waiting on
    /// it with that error, as a read of their own would have.
    /// </summary>
    public async IAsyncEnumerable<NotificationBatch> SubscribeAsync(
        long start,
        IReadOnlyCollection<string>? topics,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = topics is null ? null : new HashSet<string>(topics, StringComparer.Ordinal);
        Join();
        try
        {
            var next = Math.Max(1, start);
            var first = true;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                NotificationBatch? batch;
                Task? advanced;
                lock (_lock)
                {
                    (batch, advanced) = Take(next, filter, first);
                }

                if (advanced is not null)
                {
                    await advanced.WaitAsync(cancellationToken);
                    continue;
                }

                batch ??= await ReadBehindAsync(next, topics, cancellationToken);
                if (batch.Position >= next || first)
                {
                    yield return batch;
                    first = false;
                }

                next = Math.Max(next, batch.Position + 1);
            }
        }
        finally
        {
            Leave();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        Task? reader;
        lock (_lock)
        {
            reader = _reader;
            _advanced.TrySetException(new ObjectDisposedException(nameof(NotificationFeed)));
        }

        if (reader is not null)
        {
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _leader.Signal.StopKeepingRecorded();
        _disposing.Dispose();
        _catchUpReaders.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Under the lock: the next batch from what is kept, or a task to wait on (the feed has not read up to
    /// <paramref name="next"/> yet), or neither (<paramref name="next"/> is older than what is kept: read the log).
    /// </summary>
    private (NotificationBatch? Batch, Task? Advanced) Take(long next, HashSet<string>? filter, bool first)
    {
        if (_head < 0)
        {
            return (null, _advanced.Task);
        }

        if (next > _head)
        {
            // The first batch comes at once, even when the subscription starts beyond the log's end.
            return first ? (new NotificationBatch([], next - 1, _max, _logId), null) : (null, _advanced.Task);
        }

        if (next < _keptFrom)
        {
            return (null, null);
        }

        // Subscribers to every topic that have got as far wake together and take the same batch: one object for all,
        // so that what a node makes of it (its frames) can be made once too.
        if (filter is null && _shared is { } shared && _sharedFrom == next && shared.Position == _head)
        {
            return (shared, null);
        }

        var taken = new List<Notification>();
        var i = _kept.IndexFrom(next);
        for (; i < _kept.Count && taken.Count < LocalNotificationSource.BatchSize; i++)
        {
            var notification = _kept[i];
            if (filter is null || filter.Contains(notification.Topic))
            {
                taken.Add(notification);
            }
        }

        var position = i < _kept.Count ? taken[^1].Id : _head;
        var batch = new NotificationBatch(taken, position, _max, _logId);
        if (filter is null && position == _head)
        {
            _shared = batch;
            _sharedFrom = next;
        }

        return (batch, null);
    }

    private async Task<NotificationBatch> ReadBehindAsync(long next, IReadOnlyCollection<string>? topics, CancellationToken cancellationToken)
    {
        await _catchUpReaders.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref _catchUpReads);
            return await _direct.ReadAsync(next, topics, cancellationToken);
        }
        finally
        {
            _catchUpReaders.Release();
        }
    }

    private void Join()
    {
        TaskCompletionSource? wanted;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
            _subscribers++;
            _reader ??= Task.Run(() => ReadAsync(_disposing.Token));
            wanted = _wanted;
            _wanted = null;
        }

        wanted?.TrySetResult();
    }

    private void Leave()
    {
        lock (_lock)
        {
            _subscribers--;
        }
    }

    /// <summary>The feed's reader: while there are subscribers, reads what each commit adds, once for all of them.</summary>
    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
        // A signal beyond what the log holds (a log replaced under the node) must not make the reader spin: after a
        // read that found nothing, it waits for a signal beyond the one that woke it.
        var heard = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                long head;
                lock (_lock)
                {
                    head = _head;
                }

                if (head < 0)
                {
                    await WaitForSubscribersAsync(cancellationToken);
                    await StartAsync(cancellationToken);
                    heard = 0;
                }
                else
                {
                    await _leader.Signal.WaitBeyondAsync(Math.Max(head, heard), cancellationToken);
                    await PaceAsync(cancellationToken);
                    var published = _leader.Signal.MaxNotificationId;
                    if (!StopIfUnwanted() && await ReadNewAsync(head, cancellationToken) == head)
                    {
                        heard = published;
                    }
                }

                backoff.Reset();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Fail(ex);
                await Task.Delay(backoff.Next(), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Under load, spaces the reads so that waking every subscriber stays within
    /// <see cref="NotificationFeedOptions.MaxWakeupsPerSecond"/>: the commits that come meanwhile go out together, in
    /// fewer and fuller frames. A read after a quiet spell is not delayed.
    /// </summary>
    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        var subscribers = Subscribers;
        if (subscribers <= 1)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds((double)subscribers / _options.MaxWakeupsPerSecond);
        var wait = interval - Stopwatch.GetElapsedTime(_lastRead);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        _lastRead = Stopwatch.GetTimestamp();
    }

    private async Task WaitForSubscribersAsync(CancellationToken cancellationToken)
    {
        Task wanted;
        lock (_lock)
        {
            if (_subscribers > 0)
            {
                return;
            }

            _wanted ??= NewSignal();
            wanted = _wanted.Task;
        }

        await wanted.WaitAsync(cancellationToken);
    }

    /// <summary>Learns where the log stands, keeping nothing yet: subscribers behind it read the log themselves.</summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var logId = await _leader.Log.GetLogIdAsync(cancellationToken);
        var max = await _leader.Log.MaxNotificationIdAsync(cancellationToken);
        // What this process recorded beyond the log's end is not in the log now (rolled back, or the log replaced):
        // never hand it out. A commit racing with this read is read from the log instead.
        _leader.Signal.ForgetRecordedAfter(max);
        TaskCompletionSource advanced;
        lock (_lock)
        {
            _logId = logId;
            _max = max;
            _head = max;
            _keptFrom = max + 1;
            advanced = _advanced;
            _advanced = NewSignal();
        }

        advanced.TrySetResult();
    }

    /// <summary>Forgets what is kept when the last subscriber has gone, so that the reader waits for one instead of reading.</summary>
    private bool StopIfUnwanted()
    {
        lock (_lock)
        {
            if (_subscribers > 0)
            {
                return false;
            }

            Forget();
            return true;
        }
    }

    /// <summary>
    /// Keeps everything after <paramref name="head"/> up to the log's maximum, a batch at a time, and returns the new
    /// head: what this process's commits recorded from the signal (<see cref="NotificationSignal.TakeRecorded"/>), as
    /// long as it follows on without a gap, otherwise read from the log.
    /// </summary>
    private async Task<long> ReadNewAsync(long head, CancellationToken cancellationToken)
    {
        while (_leader.Signal.TakeRecorded(head, LocalNotificationSource.BatchSize) is { Count: > 0 } recorded)
        {
            head = recorded[^1].Id;
            var max = Math.Max(head, _leader.Signal.MaxNotificationId);
            Keep(recorded, head, max);
            if (head >= max)
            {
                return head;
            }
        }

        // A batch as a subscriber's own read would have it (its position safe to resume after), for every topic.
        Interlocked.Increment(ref _sharedReads);
        while (true)
        {
            var batch = await _direct.ReadAsync(head + 1, null, cancellationToken);
            if (batch.Position <= head)
            {
                return head;
            }

            head = batch.Position;
            Keep(batch.Notifications, head, batch.MaxNotificationId);
            if (head >= batch.MaxNotificationId)
            {
                return head;
            }
        }
    }

    private void Keep(IReadOnlyList<Notification> notifications, long head, long max)
    {
        TaskCompletionSource advanced;
        lock (_lock)
        {
            foreach (var notification in notifications)
            {
                _kept.Add(notification);
            }

            _head = head;
            _max = max;
            if (_kept.Trim() is { } dropped)
            {
                _keptFrom = dropped + 1;
            }

            advanced = _advanced;
            _advanced = NewSignal();
        }

        advanced.TrySetResult();
    }

    /// <summary>A read failed: the subscribers waiting on it end with its error, and the reader starts again.</summary>
    private void Fail(Exception error)
    {
        TaskCompletionSource advanced;
        lock (_lock)
        {
            Forget();
            advanced = _advanced;
            _advanced = NewSignal();
        }

        advanced.TrySetException(error);
    }

    /// <summary>Under the lock: back to knowing nothing of the log.</summary>
    private void Forget()
    {
        _shared = null;
        _kept.Clear();
        _keptFrom = long.MaxValue;
        _head = -1;
    }
}
