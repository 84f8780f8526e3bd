using EventSourcing.Testing;
using EventSourcing.Testing.Runners.TestApps;

namespace EventSourcing.Tests.Following;

/// <summary>One read of the log per commit for any number of subscribers, each of which still gets all it asked for.</summary>
public sealed class NotificationFeedTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Source _source = new(new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private readonly SemaphoreSlim _received = new(0);
    private readonly List<NotificationFeed> _feeds = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running);
        foreach (var feed in _feeds)
        {
            await feed.DisposeAsync();
        }

        _stopping.Dispose();
        await _source.DisposeAsync();
    }

    [Fact]
    public async Task Every_subscriber_gets_every_notification_once_in_order_without_reading_back_this_process_commits()
    {
        var feed = NewFeed();
        var subscribers = Enumerable.Range(0, 50).Select(_ => Subscribe(feed, 1)).ToList();
        await WhenAsync(() => subscribers.All(s => s.Batches > 0), "every subscriber's first batch");

        const int commits = 30;
        for (var i = 1; i <= commits; i++)
        {
            // Two notifications per commit (the first one starts the notebook).
            await _source.WriteAsync($"book{i}", $"text {i}");
            await WhenAsync(() => subscribers.All(s => s.Position == 2 * i), $"every subscriber at {2 * i}");
        }

        foreach (var subscriber in subscribers)
        {
            Assert.Equal(Enumerable.Range(1, 2 * commits).Select(id => (long)id), subscriber.Ids);
        }

        // What a commit recorded went out from the commit itself: the log was read for none of them.
        Assert.Equal(0, feed.SharedReads);
        Assert.Equal(0, feed.CatchUpReads);
    }

    [Fact]
    public async Task Commits_of_another_process_are_read_from_the_log_between_this_process_own()
    {
        using var directory = new TempDirectory();
        var env = new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", ["SQLITE_DBNAME"] = directory.File("source.db") };
        await using var here = new Source(env);
        await using var elsewhere = new Source(env);
        _running.Add(here.WatchCommitsAsync(_stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        var feed = NewFeed(here);
        var subscriber = Subscribe(feed, 1);
        await WhenAsync(() => subscriber.Batches > 0, "the first batch");

        await here.WriteAsync("here", "one");
        await WhenAsync(() => subscriber.Position == 2, "the subscriber at 2");
        await elsewhere.WriteAsync("elsewhere", "two");
        await elsewhere.WriteAsync("elsewhere", "three");
        // This process's next commit comes after a gap only the log can fill.
        await here.WriteAsync("here", "four");

        await WhenAsync(() => subscriber.Position == 6, "the subscriber at 6");
        Assert.Equal(Enumerable.Range(1, 6).Select(id => (long)id), subscriber.Ids);
        Assert.InRange(feed.SharedReads, 1, 2);
    }

    [Fact]
    public async Task Subscribers_and_writers_at_once_lose_nothing()
    {
        var feed = NewFeed();
        var subscribers = Enumerable.Range(0, 20).Select(_ => Subscribe(feed, 0)).ToList();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await _source.WriteAsync($"writer{w}", $"text {i}");
            }
        }));
        await Task.WhenAll(writers);
        var max = await _source.Log.MaxNotificationIdAsync();

        await WhenAsync(() => subscribers.All(s => s.Position == max), $"every subscriber at {max}");
        foreach (var subscriber in subscribers)
        {
            Assert.Equal(Enumerable.Range(1, (int)max).Select(id => (long)id), subscriber.Ids);
        }
    }

    [Fact]
    public async Task After_the_log_is_rolled_back_a_restarted_feed_gives_only_what_the_log_holds()
    {
        using var directory = new TempDirectory();
        await using var here = SqliteSource(directory);
        var feed = await SixCommittedThenRolledBackAsync(here, directory, "DELETE FROM stored_events WHERE notification_id > 3");
        var subscriber = Subscribe(feed, 1);
        await WhenAsync(() => subscriber.Position >= 3, "the subscriber at 3");
        await here.WriteAsync("book", "after");

        await WhenAsync(() => subscriber.Position >= 7, "the subscriber at 7");
        Assert.Equal([1L, 2L, 3L, 7L], subscriber.Ids);
    }

    [Fact]
    public async Task Ids_reused_after_a_rollback_go_out_as_the_log_holds_them()
    {
        using var directory = new TempDirectory();
        await using var here = SqliteSource(directory);
        // With the id sequence too: the next commits take ids 4.. again.
        var feed = await SixCommittedThenRolledBackAsync(
            here, directory, "DELETE FROM stored_events WHERE notification_id > 3; UPDATE sqlite_sequence SET seq = 3 WHERE name = 'stored_events'");
        var subscriber = Subscribe(feed, 1);
        await WhenAsync(() => subscriber.Position >= 3, "the subscriber at 3");
        // Beyond the old end too (ids 4..7), so that the commits are news to the feed.
        await here.WriteAsync("other", "new");
        await here.WriteAsync("another", "new");

        await WhenAsync(() => subscriber.Position >= 7, "the subscriber at 7");
        var stored = await here.Log.SelectAsync(1, 100);
        Assert.Equal(stored.Select(n => (n.Id, n.OriginatorId, n.Topic)), subscriber.Notifications.Select(n => (n.Id, n.OriginatorId, n.Topic)));
    }

    [Fact]
    public async Task A_subscriber_older_than_what_is_kept_reads_the_log_itself_and_then_joins()
    {
        var feed = NewFeed(new NotificationFeedOptions { KeptNotifications = 5 });
        var live = Subscribe(feed, 1);
        await WhenAsync(() => live.Batches > 0, "the first batch");
        for (var i = 0; i < 20; i++)
        {
            await _source.WriteAsync("book", $"text {i}");
        }

        await WhenAsync(() => live.Position == 21, "the live subscriber at 21");
        var late = Subscribe(feed, 2);
        await WhenAsync(() => late.Position == 21, "the late subscriber at 21");
        await _source.WriteAsync("book", "after");

        await WhenAsync(() => late.Position == 22 && live.Position == 22, "both at 22");
        Assert.Equal(Enumerable.Range(2, 21).Select(id => (long)id), late.Ids);
        Assert.Equal(Enumerable.Range(1, 22).Select(id => (long)id), live.Ids);
        Assert.True(feed.CatchUpReads > 0, "the late subscriber read the log");
    }

    [Fact]
    public async Task A_subscriber_far_behind_reads_the_log_a_page_at_a_time_with_none_read_twice_and_then_joins()
    {
        var feed = NewFeed(new NotificationFeedOptions { KeptNotifications = 5 });
        var live = Subscribe(feed, 1);
        await WhenAsync(() => live.Batches > 0, "the first batch");
        // A notebook started and 1,506 texts: 1,507 notifications, three full pages and 7.
        await _source.WriteManyAsync("book", Enumerable.Range(1, 3 * LocalNotificationSource.BatchSize + 6).Select(i => $"text {i}"));
        await WhenAsync(() => live.Position == 1507, "the live subscriber at 1,507");
        var reads = feed.CatchUpReads;

        var late = Subscribe(feed, 1);
        await WhenAsync(() => late.Position == 1507, "the late subscriber at 1,507");
        await _source.WriteAsync("book", "after");

        await WhenAsync(() => late.Position == 1508, "the late subscriber at 1,508");
        Assert.Equal(Enumerable.Range(1, 1508).Select(id => (long)id), late.Ids);
        // Each page read once, and none beyond the log's end.
        Assert.Equal(4, feed.CatchUpReads - reads);
    }

    [Fact]
    public async Task A_subscriber_that_leaves_while_catching_up_leaves_the_log_to_the_others()
    {
        var feed = NewFeed(new NotificationFeedOptions { KeptNotifications = 5, CatchUpReaders = 1 });
        var live = Subscribe(feed, 1);
        await WhenAsync(() => live.Batches > 0, "the first batch");
        await _source.WriteManyAsync("book", Enumerable.Range(1, 3 * LocalNotificationSource.BatchSize).Select(i => $"text {i}"));
        await WhenAsync(() => live.Position == 1501, "the live subscriber at 1,501");

        using (var leaving = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
        {
            var gone = Subscribe(feed, 1, cancellationToken: leaving.Token);
            await WhenAsync(() => gone.Batches > 0, "the leaving subscriber's first page");
            await leaving.CancelAsync();
            await WhenAsync(() => feed.Subscribers == 1, "the subscriber gone");
        }

        var late = Subscribe(feed, 1);
        await WhenAsync(() => late.Position == 1501, "the late subscriber at 1,501");
        Assert.Equal(Enumerable.Range(1, 1501).Select(id => (long)id), late.Ids);
    }

    [Fact]
    public async Task A_subscriber_to_topics_gets_only_those_but_its_position_follows_the_log()
    {
        var feed = NewFeed();
        var written = Subscribe(feed, 1, Topics.WithAliases([Topics.Of(typeof(Notebook.Written))]));
        await WhenAsync(() => written.Batches > 0, "the first batch");

        await _source.WriteManyAsync("book", ["one", "two"]);
        await _source.TagAsync("book", "done");
        await _source.WriteUnderOldTopicAsync("book", "three");

        await WhenAsync(() => written.Position == 5, "the position at 5");
        Assert.Equal([2L, 3L, 5L], written.Ids);
    }

    [Fact]
    public async Task The_first_batch_comes_at_once_even_beyond_the_end_of_the_log()
    {
        await _source.WriteAsync("book", "one");
        var feed = NewFeed();

        var beyond = Subscribe(feed, 10);

        await WhenAsync(() => beyond.Batches == 1, "the first batch");
        Assert.Equal(9, beyond.Position);
        Assert.Equal(2, beyond.Max);
        Assert.Empty(beyond.Ids);
    }

    [Fact]
    public async Task Without_subscribers_the_feed_does_not_read()
    {
        var feed = NewFeed();
        using (var leaving = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
        {
            var subscriber = Subscribe(feed, 1, cancellationToken: leaving.Token);
            await _source.WriteAsync("book", "one");
            await WhenAsync(() => subscriber.Position == 2, "the subscriber at 2");
            await leaving.CancelAsync();
            await WhenAsync(() => feed.Subscribers == 0, "the subscriber gone");
        }

        var reads = feed.SharedReads;
        for (var i = 0; i < 5; i++)
        {
            await _source.WriteAsync("book", $"text {i}");
        }

        // The reader, woken by the first of these commits, finds nobody to read for: a newcomer starts afresh.
        var again = Subscribe(feed, 1);
        await WhenAsync(() => again.Position == 7, "a new subscriber at 7");

        // A shared read that began before the subscriber left may finish after it: at most that one, not one per commit.
        Assert.InRange(feed.SharedReads - reads, 0, 1);
        Assert.Equal(Enumerable.Range(1, 7).Select(id => (long)id), again.Ids);
    }

    private static Source SqliteSource(TempDirectory directory)
        => new(new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", ["SQLITE_DBNAME"] = directory.File("source.db") });

    /// <summary>
    /// Ids 1..6 committed while a feed keeps what commits record, then the log rolled back to 3 by
    /// <paramref name="rollback"/>, as a restore from a backup would.
    /// </summary>
    private async Task<NotificationFeed> SixCommittedThenRolledBackAsync(Source source, TempDirectory directory, string rollback)
    {
        var feed = NewFeed(source);
        for (var i = 0; i < 5; i++)
        {
            await source.WriteAsync("book", $"text {i}");
        }

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={directory.File("source.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = rollback;
        await command.ExecuteNonQueryAsync();
        return feed;
    }

    private NotificationFeed NewFeed(NotificationFeedOptions? options = null) => NewFeed(_source, options);

    private NotificationFeed NewFeed(Application leader, NotificationFeedOptions? options = null)
    {
        var feed = new NotificationFeed(leader, options);
        _feeds.Add(feed);
        return feed;
    }

    private Subscriber Subscribe(NotificationFeed feed, long start, IReadOnlyCollection<string>? topics = null, CancellationToken? cancellationToken = null)
    {
        var subscriber = new Subscriber();
        var token = cancellationToken ?? _stopping.Token;
        _running.Add(Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in feed.SubscribeAsync(start, topics, token))
                {
                    subscriber.Take(batch);
                    _received.Release();
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The test is over, or the subscriber left.
            }
            finally
            {
                _received.Release();
            }
        }));
        return subscriber;
    }

    private Task WhenAsync(Func<bool> condition, string what) => Eventually.HoldsAsync(condition, _received, what, Deadline);

    private sealed class Subscriber
    {
        private readonly Lock _lock = new();
        private readonly List<Notification> _notifications = [];
        private long _position;
        private long _max;
        private int _batches;

        public long Position
        {
            get
            {
                lock (_lock)
                {
                    return _position;
                }
            }
        }

        public long Max
        {
            get
            {
                lock (_lock)
                {
                    return _max;
                }
            }
        }

        public int Batches
        {
            get
            {
                lock (_lock)
                {
                    return _batches;
                }
            }
        }

        public IReadOnlyList<long> Ids => [.. Notifications.Select(n => n.Id)];

        public IReadOnlyList<Notification> Notifications
        {
            get
            {
                lock (_lock)
                {
                    return [.. _notifications];
                }
            }
        }

        public void Take(NotificationBatch batch)
        {
            lock (_lock)
            {
                _notifications.AddRange(batch.Notifications);
                _position = batch.Position;
                _max = batch.MaxNotificationId;
                _batches++;
            }
        }
    }
}
