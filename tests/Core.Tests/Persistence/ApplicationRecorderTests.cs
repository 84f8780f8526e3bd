using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence;

/// <summary>The contract every application recorder meets, including the ordering of notification ids under concurrency.</summary>
public abstract class ApplicationRecorderTests : AggregateRecorderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>How many bursts of concurrent writes a test makes at most before it says none were grouped.</summary>
    private protected const int MaxRounds = 50;

    /// <summary>How many writes the recorder's store committed together with others so far; null where it does not group writes.</summary>
    private protected static long? WritesCommittedTogether(IAggregateRecorder recorder)
        => recorder is Sql.SqlAggregateRecorder sql ? sql.WritesCommittedTogether : null;

    /// <summary>What a write returned, or the integrity error it raised.</summary>
    private protected static async Task<(IReadOnlyList<long>? Ids, IntegrityException? Error)> OutcomeAsync(Func<Task<IReadOnlyList<long>>> write)
    {
        try
        {
            return (await write(), null);
        }
        catch (IntegrityException ex)
        {
            return (null, ex);
        }
    }

    /// <summary>
    /// Runs every write on a thread of its own, all released together by a barrier, so that they reach the recorder at
    /// once. Started with <c>Task.Run</c> instead, a fast store (SQLite in memory) can finish each write on one pool
    /// thread before the next thread wakes, and no two writes ever meet.
    /// </summary>
    private protected static async Task<T[]> AllAtOnceAsync<T>(IReadOnlyList<Func<Task<T>>> writes)
    {
        using var barrier = new Barrier(writes.Count);
        var started = writes.Select(write => Task.Factory.StartNew(
            () =>
            {
                barrier.SignalAndWait(Deadline);
                return write();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap());
        return await Task.WhenAll(started);
    }

    /// <summary>A new, empty recorder, isolated from every other test.</summary>
    protected abstract Task<IApplicationRecorder> CreateApplicationRecorderAsync();

    protected sealed override async Task<IAggregateRecorder> CreateAggregateRecorderAsync() => await CreateApplicationRecorderAsync();

    /// <summary>
    /// False where a log lives inside its recorder (in memory): there are no tables that a second recorder could
    /// open, and every recorder is a log of its own, as a restarted in-memory leader is.
    /// </summary>
    protected virtual bool CanOpenTheSameTablesTwice => true;

    /// <summary>
    /// A second recorder on the tables of the last recorder this fixture created, through a module of its own, as
    /// another process would open them. Called only when <see cref="CanOpenTheSameTablesTwice"/>.
    /// </summary>
    protected virtual Task<IApplicationRecorder> OpenTheSameTablesAsync()
        => throw new NotSupportedException($"{GetType().Name} cannot open the same tables twice");

    [Fact]
    public async Task Max_notification_id_is_zero_when_empty()
    {
        var recorder = await CreateApplicationRecorderAsync();

        Assert.Equal(0, await recorder.MaxNotificationIdAsync());
        Assert.Empty(await recorder.SelectNotificationsAsync(1, 10));
    }

    [Fact]
    public async Task Returns_one_strictly_increasing_notification_id_per_event()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var id = Guid.NewGuid();

        var first = await recorder.InsertEventsAsync(Events(id, 1, 3));
        var second = await recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1), Event(id, 4)]);

        var ids = first.Concat(second).ToArray();
        Assert.Equal(5, ids.Length);
        Assert.True(ids.Zip(ids.Skip(1)).All(pair => pair.First < pair.Second), string.Join(",", ids));
        Assert.Equal(ids[^1], await recorder.MaxNotificationIdAsync());
    }

    [Fact]
    public async Task Notifications_carry_the_stored_event()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var id = Guid.NewGuid();
        var stored = Event(id, 1, TopicB, "{\"x\":1}");

        var ids = await recorder.InsertEventsAsync([stored]);

        var notification = Assert.Single(await recorder.SelectNotificationsAsync(ids[0], 1));
        Assert.Equal(ids[0], notification.Id);
        Assert.Equal(id, notification.OriginatorId);
        Assert.Equal(1, notification.OriginatorVersion);
        Assert.Equal(TopicB, notification.Topic);
        Assert.Equal(stored.State, notification.State);
    }

    [Fact]
    public async Task Events_and_notifications_keep_their_metadata_bytes_and_have_none_when_recorded_without()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var id = Guid.NewGuid();
        var metadata = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var ids = await recorder.InsertEventsAsync([Event(id, 1) with { Metadata = metadata }, Event(id, 2)]);

        var notifications = await recorder.SelectNotificationsAsync(ids[0], 10);
        Assert.Equal(metadata, notifications[0].Metadata);
        Assert.Null(notifications[1].Metadata);
        var events = await recorder.SelectEventsAsync(id);
        Assert.Equal(metadata, events[0].Metadata);
        Assert.Null(events[1].Metadata);
    }

    [Fact]
    public async Task Selects_notifications_from_start_up_to_stop_and_limit()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var ids = await recorder.InsertEventsAsync(Events(Guid.NewGuid(), 1, 10));

        Assert.Equal(ids, (await recorder.SelectNotificationsAsync(ids[0], 100)).Select(n => n.Id));
        Assert.Equal(ids.Skip(3).Take(4), (await recorder.SelectNotificationsAsync(ids[3], 4)).Select(n => n.Id));
        Assert.Equal(ids.Skip(2).Take(3), (await recorder.SelectNotificationsAsync(ids[2], 100, stop: ids[4])).Select(n => n.Id));
        Assert.Equal([ids[9]], (await recorder.SelectNotificationsAsync(ids[9], 100)).Select(n => n.Id));
        Assert.Empty(await recorder.SelectNotificationsAsync(ids[9] + 1, 100));
        Assert.Empty(await recorder.SelectNotificationsAsync(ids[5], 100, stop: ids[4]));
    }

    [Fact]
    public async Task A_limit_of_zero_selects_no_notifications()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var ids = await recorder.InsertEventsAsync(Events(Guid.NewGuid(), 1, 3));

        Assert.Empty(await recorder.SelectNotificationsAsync(ids[0], 0));
    }

    [Fact]
    public async Task Filters_notifications_by_topic()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var id = Guid.NewGuid();
        var ids = await recorder.InsertEventsAsync([Event(id, 1, TopicA), Event(id, 2, TopicB), Event(id, 3, TopicA), Event(id, 4, "tests:Other")]);

        var onlyB = await recorder.SelectNotificationsAsync(ids[0], 10, topics: [TopicB]);
        var aOrOther = await recorder.SelectNotificationsAsync(ids[0], 10, topics: [TopicA, "tests:Other"]);
        var limited = await recorder.SelectNotificationsAsync(ids[0], 1, topics: [TopicA]);
        var unknown = await recorder.SelectNotificationsAsync(ids[0], 10, topics: ["tests:Nothing"]);

        Assert.Equal([ids[1]], onlyB.Select(n => n.Id));
        Assert.Equal([ids[0], ids[2], ids[3]], aOrOther.Select(n => n.Id));
        Assert.Equal([ids[0]], limited.Select(n => n.Id));
        Assert.Empty(unknown);
    }

    [Fact]
    public async Task A_failed_batch_leaves_no_notifications()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var id = Guid.NewGuid();
        await recorder.InsertEventsAsync([Event(id, 1)]);

        await Assert.ThrowsAnyAsync<IntegrityException>(() => recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1), Event(id, 1)]));
        var after = await recorder.InsertEventsAsync([Event(id, 2)]);

        var all = await recorder.SelectNotificationsAsync(1, 100);
        Assert.Equal(2, all.Count);
        Assert.Equal(after[0], all[^1].Id);
    }

    [Fact]
    public async Task Two_concurrent_batches_get_non_interleaved_ids()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var batchA = Events(Guid.NewGuid(), 1, 10_000);
        var batchB = Events(Guid.NewGuid(), 1, 10_000);

        var results = await Task.WhenAll(
            Task.Run(() => recorder.InsertEventsAsync(batchA)),
            Task.Run(() => recorder.InsertEventsAsync(batchB)));

        foreach (var ids in results)
        {
            Assert.Equal(10_000, ids.Count);
            Assert.Equal(ids[0] + 9_999, ids[^1]);
        }

        Assert.True(results[0][^1] < results[1][0] || results[1][^1] < results[0][0], "the two batches' id ranges interleave");
        var notifications = await recorder.SelectNotificationsAsync(1, 10_000, stop: Math.Max(results[0][^1], results[1][^1]));
        var byOriginator = notifications.GroupBy(n => n.OriginatorId).ToDictionary(g => g.Key, g => g.Select(n => n.OriginatorVersion).ToArray());
        Assert.All(byOriginator.Values, versions => Assert.Equal(Enumerable.Range(versions[0], versions.Length), versions));
    }

    [Fact]
    public async Task A_reader_following_concurrent_writers_sees_every_id_once_in_order()
    {
        var recorder = await CreateApplicationRecorderAsync();
        const int writers = 4;
        const int batchesPerWriter = 50;
        const int eventsPerBatch = 5;
        using var deadline = new CancellationTokenSource(Deadline);

        var writing = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var id = Guid.NewGuid();
            var written = new List<long>();
            for (var batch = 0; batch < batchesPerWriter; batch++)
            {
                written.AddRange(await recorder.InsertEventsAsync(Events(id, batch * eventsPerBatch + 1, eventsPerBatch), deadline.Token));
            }

            return written;
        })).ToArray();

        var seen = new List<long>();
        var expectedCount = writers * batchesPerWriter * eventsPerBatch;
        while (seen.Count < expectedCount)
        {
            deadline.Token.ThrowIfCancellationRequested();
            // Checked before reading, so an empty page after the writers finished really is the end.
            var writersDone = writing.All(w => w.IsCompleted);
            var start = seen.Count == 0 ? 1 : seen[^1] + 1;
            var page = await recorder.SelectNotificationsAsync(start, 100, cancellationToken: deadline.Token);
            seen.AddRange(page.Select(n => n.Id));
            if (page.Count == 0 && writersDone)
            {
                break;
            }
        }

        var written = (await Task.WhenAll(writing)).SelectMany(ids => ids).Order().ToArray();
        Assert.Equal(written, seen);
    }

    [Fact]
    public async Task Concurrent_writes_each_get_the_ids_of_their_own_events_and_a_conflicting_one_fails_alone()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var taken = Guid.NewGuid();
        var returned = (await recorder.InsertEventsAsync([Event(taken, 1)])).ToList();
        var before = WritesCommittedTogether(recorder);

        // Writes that arrive while another commits are committed together where the store groups them; repeat the
        // burst until a group happened, so the rules below were checked on one.
        for (var round = 0; round < MaxRounds && (round == 0 || WritesCommittedTogether(recorder) == before); round++)
        {
            var batches = Enumerable.Range(0, 24)
                .Select(i => i % 8 == 3 ? [Event(taken, 1, state: "conflict")] : Events(Guid.NewGuid(), 1, 1 + (i % 3)))
                .ToArray();
            var outcomes = await AllAtOnceAsync([.. batches.Select(batch => (Func<Task<(IReadOnlyList<long>? Ids, IntegrityException? Error)>>)(() => OutcomeAsync(() => recorder.InsertEventsAsync(batch))))]);

            var notifications = (await recorder.SelectNotificationsAsync(1, 10_000)).ToDictionary(n => n.Id);
            for (var i = 0; i < batches.Length; i++)
            {
                if (batches[i][0].OriginatorId == taken)
                {
                    Assert.IsType<ConcurrencyException>(outcomes[i].Error);
                    continue;
                }

                Assert.Null(outcomes[i].Error);
                var ids = outcomes[i].Ids!;
                Assert.Equal(batches[i].Select(e => (e.OriginatorId, e.OriginatorVersion)), ids.Select(id => (notifications[id].OriginatorId, notifications[id].OriginatorVersion)));
                returned.AddRange(ids);
            }

            // Every stored notification was returned to one write (a store may skip ids a failed write took).
            Assert.Equal(returned.Order(), notifications.Keys.Order());
        }

        Assert.True(before is null || WritesCommittedTogether(recorder) > before, $"no two writes were committed together in {MaxRounds} bursts");
    }

    [Fact]
    public async Task The_log_id_is_the_same_on_every_call()
    {
        var recorder = await CreateApplicationRecorderAsync();

        var before = await recorder.GetLogIdAsync();
        await recorder.InsertEventsAsync(Events(Guid.NewGuid(), 1, 3));

        Assert.NotEqual(Guid.Empty, before);
        Assert.Equal(before, await recorder.GetLogIdAsync());
    }

    [Fact]
    public async Task Two_recorders_on_the_same_tables_share_one_log_id()
    {
        var recorder = await CreateApplicationRecorderAsync();
        var logId = await recorder.GetLogIdAsync();

        if (CanOpenTheSameTablesTwice)
        {
            var other = await OpenTheSameTablesAsync();
            Assert.Equal(logId, await other.GetLogIdAsync());
        }
        else
        {
            // No tables to share: a second recorder is a second log.
            var other = await CreateApplicationRecorderAsync();
            Assert.NotEqual(logId, await other.GetLogIdAsync());
        }
    }

    [Fact]
    public async Task A_new_log_gets_a_new_log_id()
    {
        var first = await CreateApplicationRecorderAsync();
        var second = await CreateApplicationRecorderAsync();

        Assert.NotEqual(await first.GetLogIdAsync(), await second.GetLogIdAsync());
    }
}
