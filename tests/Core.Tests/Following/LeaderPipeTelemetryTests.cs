using EventSourcing.Diagnostics;
using EventSourcing.Testing;
using EventSourcing.Testing.Diagnostics;
using EventSourcing.Testing.Runners.TestApps;

namespace EventSourcing.Tests.Following;

/// <summary>What a follower's pipe tells the <c>EventSourcing</c> meter: notifications processed, lag and state, by leader.</summary>
public sealed class LeaderPipeTelemetryTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> InMemory = new() { ["PERSISTENCE_MODULE"] = "popo" };
    private readonly RecordedMeasurements _measurements = new();
    private readonly Source _source = new(InMemory);
    private readonly FirstTally _tally = new(InMemory);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];

    // A leader name of this test's own: the meter is the process's, and other tests run pipes at the same time.
    private readonly string _leader = $"Source{Guid.NewGuid():N}";
    private IReadOnlyList<Notification> _notifications = [];
    private Guid _logId;

    public async Task InitializeAsync()
    {
        await _source.WriteManyAsync("diary", ["one", "two", "three"]);
        _notifications = await _source.Log.SelectAsync(1, 10);
        _logId = await _source.Log.GetLogIdAsync();
    }

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running);
        _stopping.Dispose();
        _measurements.Dispose();
        await _tally.DisposeAsync();
        await _source.DisposeAsync();
    }

    [Fact]
    public async Task Processing_a_batch_counts_its_notifications_by_follower_and_leader()
    {
        var pipe = await RunAsync(new NotificationBatch(_notifications, 4, 4, _logId));

        await WhenAsync(pipe, () => pipe.Position == 4);
        Assert.Equal(_notifications.Count, _measurements.Sum(TelemetryNames.NotificationsProcessed, (TelemetryNames.ApplicationTag, "FirstTally"), (TelemetryNames.LeaderTag, _leader)));
    }

    [Fact]
    public async Task A_running_pipe_reports_its_lag_behind_the_leader_and_its_state()
    {
        var pipe = await RunAsync(new NotificationBatch(_notifications, 4, 9, _logId));

        await WhenAsync(pipe, () => pipe.Position == 4);
        var tags = new[] { (TelemetryNames.ApplicationTag, "FirstTally"), (TelemetryNames.LeaderTag, _leader) };
        Assert.Equal(5, _measurements.Observe(TelemetryNames.PipeLag, tags));
        Assert.Equal(1, _measurements.Observe(TelemetryNames.PipeState, [.. tags, (TelemetryNames.StateTag, "running")]));
        Assert.Equal(0, _measurements.Observe(TelemetryNames.PipeState, [.. tags, (TelemetryNames.StateTag, "failed")]));
    }

    [Fact]
    public async Task A_failed_pipe_is_reported_failed_until_its_runner_stops_it()
    {
        var pipe = await RunAsync(new NotificationBatch([_notifications[1], _notifications[0]], 4, 4, _logId));

        await WhenAsync(pipe, () => pipe.Status.State == PipeState.Failed);
        var failed = new[] { (TelemetryNames.ApplicationTag, "FirstTally"), (TelemetryNames.LeaderTag, _leader), (TelemetryNames.StateTag, "failed") };
        Assert.Equal(1, _measurements.Observe(TelemetryNames.PipeState, failed));

        await _stopping.CancelAsync();
        var before = _measurements.Of(TelemetryNames.PipeState, failed).Count;
        _measurements.Observe(TelemetryNames.PipeState);
        Assert.Equal(before, _measurements.Of(TelemetryNames.PipeState, failed).Count);
    }

    private async Task<LeaderPipe> RunAsync(params NotificationBatch[] batches)
    {
        var pipe = new LeaderPipe(_tally, new ScriptedSource(_leader, batches));
        await pipe.ReadTrackingAsync();
        _running.Add(pipe.RunAsync(_stopping.Token));
        return pipe;
    }

    private static async Task WhenAsync(LeaderPipe pipe, Func<bool> condition)
    {
        using var progressed = new SemaphoreSlim(0);
        pipe.Progressed += () => progressed.Release();
        await Eventually.HoldsAsync(condition, progressed, "the pipe", TimeSpan.FromSeconds(30));
    }
}
