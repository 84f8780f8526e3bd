using EventSourcing.Diagnostics;
using EventSourcing.Postgres;
using EventSourcing.Testing;
using EventSourcing.Testing.Diagnostics;
using EventSourcing.Testing.Persistence.Postgres;
using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence.Postgres;

/// <summary>
/// A recorder watching its log hears of every process's commits from PostgreSQL's notifications, which each writer's
/// announcer sends after its commits with the greatest id committed, so that the watcher need not ask the table for its
/// maximum; and of a commit nobody announced once the log has been quiet for a while.
/// </summary>
public sealed class CommitWatchPostgresTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly PostgresTestModules _modules = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long?> _heard = [];
    private readonly SemaphoreSlim _called = new(0);
    private Task _watching = Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching.WaitAsync(Deadline);
        _stop.Dispose();
        _called.Dispose();
        await _modules.DisposeAsync();
    }

    [Fact]
    public async Task Commits_of_another_process_are_heard_with_the_greatest_id_each_recorded()
    {
        var here = _modules.Create().CreateApplicationRecorder();
        var elsewhere = _modules.OpenAgain().CreateApplicationRecorder();
        var before = await elsewhere.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await WatchAsync(here);

        // Each write is announced after its commit, so the one before may be heard too.
        var three = await elsewhere.InsertEventsAsync([Event(Guid.NewGuid(), 1), Event(Guid.NewGuid(), 1), Event(Guid.NewGuid(), 1)]);
        await WhenHeardAsync(three[^1]);
        var one = await elsewhere.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await WhenHeardAsync(one[^1]);

        lock (_heard)
        {
            Assert.Null(_heard[0]);
            Assert.Equal([three[^1], one[^1]], _heard.Skip(1).Where(id => id > before[^1]).Select(id => id!.Value));
        }
    }

    [Fact]
    public async Task An_application_whose_channel_name_is_longer_than_postgres_keeps_writes_and_is_heard()
    {
        // The channel, schema-qualified, is more than the 63 bytes PostgreSQL keeps of a name.
        const string Name = "FulfilmentAndReservationProcessManagerForTests";
        var here = _modules.Create(applicationName: Name).CreateApplicationRecorder();
        var elsewhere = _modules.Create(applicationName: Name).CreateApplicationRecorder();
        await WatchAsync(here);

        var ids = await elsewhere.InsertEventsAsync([Event(Guid.NewGuid(), 1), Event(Guid.NewGuid(), 1)]);

        await WhenHeardAsync(ids[^1]);
    }

    [Fact]
    public async Task A_notification_without_an_id_has_the_watcher_read_the_log()
    {
        var module = _modules.Create();
        // No call for a quiet log meanwhile: the one call after the first is the notification's.
        module.Datastore.QuietRecheck = TimeSpan.FromHours(1);
        var here = module.CreateApplicationRecorder();
        var inserted = await here.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await WatchAsync(here);

        await using (var script = await PostgresTestServer.OpenAsync())
        await using (var notify = new Npgsql.NpgsqlCommand($"NOTIFY \"{_modules.Schema}.tests_events\"", script))
        {
            await notify.ExecuteNonQueryAsync();
        }

        // The insert's own announcement, sent after its commit, may come after the watcher listens: that is a call
        // with its id, never without one.
        await WhenAsync(() => _heard.Skip(1).Contains(null), "the call for the notification without an id");
        lock (_heard)
        {
            Assert.Null(_heard[0]);
            Assert.All(_heard.Skip(1), id => Assert.True(id is null || id == inserted[^1], $"heard {id}"));
        }
    }

    [Fact]
    public async Task A_commit_that_no_notification_announced_is_found_once_the_log_is_quiet()
    {
        // A writer's commits are announced after they commit, so one that dies between the two leaves a commit nobody
        // announced; an INSERT by hand is such a commit.
        var here = _modules.Create().CreateApplicationRecorder();
        var before = await here.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await WatchAsync(here);

        await using (var script = await PostgresTestServer.OpenAsync())
        await using (var insert = new Npgsql.NpgsqlCommand(
            $"INSERT INTO \"{_modules.Schema}\".tests_events (originator_id, originator_version, topic, state) VALUES ($1, 1, 'topic', '\\x7b7d'::bytea)",
            script))
        {
            insert.Parameters.Add(new Npgsql.NpgsqlParameter<Guid> { TypedValue = Guid.NewGuid() });
            await insert.ExecuteNonQueryAsync();
        }

        var inserted = await here.MaxNotificationIdAsync();
        Assert.Equal(before[^1] + 1, inserted);
        var calls = HeardCount();

        // A call after the insert, with no id (read the log) or the id: the watcher found it without a notification.
        await WhenCalledAfterAsync(calls, inserted, "a call after the unannounced commit");
    }

    [Fact]
    public async Task A_write_that_fails_leaves_its_connection_usable_and_the_next_commit_is_heard()
    {
        // A failed write sends no notification and must leave its session as it found it, so that the next write on
        // it commits and is heard. One connection, so every write uses it.
        var here = _modules.Create().CreateApplicationRecorder();
        var writer = _modules.Create(PostgresTestServer.Options(_modules.Schema, new Dictionary<string, string> { ["POSTGRES_POOL_SIZE"] = "1" }))
            .CreateApplicationRecorder();
        var id = Guid.NewGuid();
        var first = await writer.InsertEventsAsync([Event(id, 1)]);
        await WatchAsync(here);

        await Assert.ThrowsAsync<ConcurrencyException>(() => writer.InsertEventsAsync([Event(id, 1)]));
        var next = await writer.InsertEventsAsync([Event(id, 2), Event(Guid.NewGuid(), 1)]);

        await WhenHeardAsync(next[^1]);
        Assert.Equal(next[^1], await writer.MaxNotificationIdAsync());
        Assert.Equal([first[0], .. next], (await writer.SelectNotificationsAsync(1, 10)).Select(n => n.Id));
    }

    [Fact]
    public async Task A_notification_that_fails_fails_no_write_and_the_commits_are_found_anyway()
    {
        // As when the server's notification queue is full: the notification fails after the write has committed.
        using var measured = new RecordedMeasurements();

        // An application name of its own: the meter is the process's, and other tests' applications are "Tests".
        var writing = _modules.Create(applicationName: "AnnouncementFails");
        ((PostgresSql)writing.Datastore.Sql).NotifyEvents = "SELECT 1 / (length($1) * 0)";
        var writer = writing.CreateApplicationRecorder();
        var here = _modules.OpenAgain().CreateApplicationRecorder();
        await writer.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await WatchAsync(here);

        // Concurrent writes, so that some may commit together: none of them fails.
        var written = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => writer.InsertEventsAsync([Event(Guid.NewGuid(), 1), Event(Guid.NewGuid(), 1)])));
        var calls = HeardCount();

        Assert.All(written, ids => Assert.Equal(2, ids.Count));
        var last = written.Max(ids => ids[^1]);
        Assert.Equal(last, await writer.MaxNotificationIdAsync());
        Assert.Equal(17, (await writer.SelectNotificationsAsync(1, 100)).Count);
        await WhenCalledAfterAsync(calls, last, "a call after the unannounced commits");

        // Each failure counted, for the application that committed, with what failed.
        var failed = await Eventually.ReturnsAsync(
            () => Task.FromResult(measured.Of(TelemetryNames.CommitAnnouncementsFailed, (TelemetryNames.ApplicationTag, writing.Datastore.ApplicationName))),
            found => found.Count > 0,
            "a failed announcement counted");
        Assert.All(failed, m => Assert.Equal(("postgres", typeof(Npgsql.PostgresException).FullName), ((string?)m.Tags[TelemetryNames.StoreTag], (string?)m.Tags[TelemetryNames.ErrorTypeTag])));
    }

    /// <summary>Starts watching, and waits for the first call (made once it listens).</summary>
    private async Task WatchAsync(IApplicationRecorder recorder)
    {
        _watching = ((ICommitWatcher)recorder).WatchCommitsAsync(
            (max, _) =>
            {
                lock (_heard)
                {
                    _heard.Add(max);
                }

                _called.Release();
                return Task.CompletedTask;
            },
            _stop.Token);
        await WhenAsync(() => _heard.Count > 0, "the first call, once it listens");
    }

    private Task WhenHeardAsync(long id) => WhenAsync(() => _heard.Contains(id), $"notification {id} heard");

    private int HeardCount()
    {
        lock (_heard)
        {
            return _heard.Count;
        }
    }

    /// <summary>Waits for a call after the first <paramref name="calls"/> that reads the log (no id) or has heard <paramref name="id"/>.</summary>
    private Task WhenCalledAfterAsync(int calls, long id, string what)
        => WhenAsync(() => _heard.Skip(calls).Any(heard => heard is null || heard >= id), what);

    /// <summary>Checks <paramref name="condition"/> on what was heard again after each call of the watcher, until it holds.</summary>
    private Task WhenAsync(Func<bool> condition, string what)
        => Eventually.HoldsAsync(
            () =>
            {
                lock (_heard)
                {
                    return condition();
                }
            },
            _called,
            what,
            Deadline);
}
