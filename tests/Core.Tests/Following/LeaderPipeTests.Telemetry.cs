using EventSourcing.Diagnostics;
using EventSourcing.Testing.Diagnostics;

namespace EventSourcing.Tests.Following;

/// <summary>What a follower's pipe tells the <c>EventSourcing</c> meter: notifications processed, lag and state, by leader.</summary>
public sealed partial class LeaderPipeTests
{
    private readonly RecordedMeasurements _measurements = new();

    // A leader name of this test's own: the meter is the process's, and other tests run pipes at the same time.
    private readonly string _leader = $"Source{Guid.NewGuid():N}";

    [Fact]
    public async Task Processing_a_batch_counts_its_notifications_by_follower_and_leader()
    {
        var pipe = await RunFromAsync(_leader, new NotificationBatch(_notifications, 4, 4, _logId));

        await WhenAsync(pipe, () => pipe.Position == 4);
        Assert.Equal(_notifications.Count, _measurements.Sum(TelemetryNames.NotificationsProcessed, (TelemetryNames.ApplicationTag, "FirstTally"), (TelemetryNames.LeaderTag, _leader)));
    }

    [Fact]
    public async Task A_running_pipe_reports_its_lag_behind_the_leader_and_its_state()
    {
        var pipe = await RunFromAsync(_leader, new NotificationBatch(_notifications, 4, 9, _logId));

        await WhenAsync(pipe, () => pipe.Position == 4);
        var tags = new[] { (TelemetryNames.ApplicationTag, "FirstTally"), (TelemetryNames.LeaderTag, _leader) };
        Assert.Equal(5, _measurements.Observe(TelemetryNames.PipeLag, tags));
        Assert.Equal(1, _measurements.Observe(TelemetryNames.PipeState, [.. tags, (TelemetryNames.StateTag, "running")]));
        Assert.Equal(0, _measurements.Observe(TelemetryNames.PipeState, [.. tags, (TelemetryNames.StateTag, "failed")]));
    }

    [Fact]
    public async Task A_failed_pipe_is_reported_failed_until_its_runner_stops_it()
    {
        var pipe = await RunFromAsync(_leader, new NotificationBatch([_notifications[1], _notifications[0]], 4, 4, _logId));

        await WhenAsync(pipe, () => pipe.Status.State == PipeState.Failed);
        var failed = new[] { (TelemetryNames.ApplicationTag, "FirstTally"), (TelemetryNames.LeaderTag, _leader), (TelemetryNames.StateTag, "failed") };
        Assert.Equal(1, _measurements.Observe(TelemetryNames.PipeState, failed));

        await _stopping.CancelAsync();
        var before = _measurements.Of(TelemetryNames.PipeState, failed).Count;
        _measurements.Observe(TelemetryNames.PipeState);
        Assert.Equal(before, _measurements.Of(TelemetryNames.PipeState, failed).Count);
    }
}
