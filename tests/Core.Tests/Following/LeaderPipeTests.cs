using EventSourcing.Testing;
using EventSourcing.Testing.Runners.TestApps;

namespace EventSourcing.Tests.Following;

/// <summary>What a follower's pipe accepts from a leader: only batches that keep the log's order.</summary>
public sealed partial class LeaderPipeTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly Dictionary<string, string> InMemory = new() { ["PERSISTENCE_MODULE"] = "popo" };
    private readonly Source _source = new(InMemory);
    private readonly FirstTally _tally = new(InMemory);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
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
    public async Task A_batch_in_order_is_processed_and_moves_the_position()
    {
        var pipe = await RunAsync(new NotificationBatch(_notifications, 4, 4, _logId));

        await WhenAsync(pipe, () => pipe.Position == 4);
        Assert.Equal(["one", "two", "three"], await _tally.GetEntriesAsync());
    }

    [Fact]
    public async Task Ids_out_of_order_stop_the_pipe_and_record_nothing()
    {
        var pipe = await RunAsync(new NotificationBatch([_notifications[1], _notifications[0]], 4, 4, _logId));

        await WhenAsync(pipe, () => pipe.Status.State == PipeState.Failed);
        Assert.IsType<LeaderLogException>(pipe.Error);
        Assert.Contains("sent notification 1 after 2", pipe.Status.LastError, StringComparison.Ordinal);
        Assert.Empty(await _tally.GetEntriesAsync());
        Assert.Equal(0, await _tally.Recorder.MaxTrackingIdAsync("Source"));
    }

    [Fact]
    public async Task An_id_at_or_below_the_position_stops_the_pipe()
    {
        var pipe = await RunAsync(new NotificationBatch(_notifications.Take(2).ToList(), 2, 4, _logId), new NotificationBatch([_notifications[1]], 2, 4, _logId));

        await WhenAsync(pipe, () => pipe.Status.State == PipeState.Failed);
        Assert.Contains("above FirstTally's position 2", pipe.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(2, pipe.Position);
    }

    [Fact]
    public async Task An_id_above_the_leaders_maximum_stops_the_pipe()
    {
        var pipe = await RunAsync(new NotificationBatch(_notifications, 4, 2, _logId));

        await WhenAsync(pipe, () => pipe.Status.State == PipeState.Failed);
        Assert.Contains("must not pass the maximum", pipe.Status.LastError, StringComparison.Ordinal);
        Assert.Empty(await _tally.GetEntriesAsync());
    }

    [Fact]
    public async Task The_lag_counts_from_the_leaders_maximum_even_when_the_first_batch_fails()
    {
        var pipe = await RunAsync(new NotificationBatch(_notifications, 4, 9, _logId), new NotificationBatch([_notifications[0]], 9, 9, _logId));

        await WhenAsync(pipe, () => pipe.Status.State == PipeState.Failed);
        Assert.Equal(9, pipe.Status.LeaderMaxNotificationId);
        Assert.Equal(5, pipe.Status.Lag);
    }

    private Task<LeaderPipe> RunAsync(params NotificationBatch[] batches) => RunFromAsync("Source", batches);

    private async Task<LeaderPipe> RunFromAsync(string leader, params NotificationBatch[] batches)
    {
        var pipe = new LeaderPipe(_tally, new ScriptedSource(leader, batches));
        await pipe.ReadTrackingAsync();
        _running.Add(pipe.RunAsync(_stopping.Token));
        return pipe;
    }

    /// <summary>Awaits the pipe's progress (or failure) until <paramref name="condition"/> holds, within the deadline.</summary>
    private static async Task WhenAsync(LeaderPipe pipe, Func<bool> condition)
    {
        using var progressed = new SemaphoreSlim(0);
        pipe.Progressed += () => progressed.Release();
        await Eventually.HoldsAsync(condition, progressed, "the pipe", Deadline);
    }
}
