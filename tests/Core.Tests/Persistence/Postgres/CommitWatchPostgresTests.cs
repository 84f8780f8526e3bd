using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Postgres;
using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence.Postgres;

/// <summary>
/// A recorder watching its log hears of every process's commits from PostgreSQL's notifications, which carry the
/// greatest id each transaction recorded, so that the watcher need not ask the table for its maximum.
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
        await elsewhere.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await WatchAsync(here);

        var three = await elsewhere.InsertEventsAsync([Event(Guid.NewGuid(), 1), Event(Guid.NewGuid(), 1), Event(Guid.NewGuid(), 1)]);
        await WhenHeardAsync(three[^1]);
        var one = await elsewhere.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await WhenHeardAsync(one[^1]);

        lock (_heard)
        {
            Assert.Null(_heard[0]);
            Assert.Equal([three[^1], one[^1]], _heard.Skip(1).Where(id => id is not null).Select(id => id!.Value));
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
        var here = _modules.Create().CreateApplicationRecorder();
        await here.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await WatchAsync(here);

        await using (var script = await PostgresTestServer.OpenAsync())
        await using (var notify = new Npgsql.NpgsqlCommand($"NOTIFY \"{_modules.Schema}.tests_events\"", script))
        {
            await notify.ExecuteNonQueryAsync();
        }

        await WhenAsync(() => _heard.Count == 2, "the call for the notification without an id");
        lock (_heard)
        {
            Assert.Equal([null, null], _heard);
        }
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
