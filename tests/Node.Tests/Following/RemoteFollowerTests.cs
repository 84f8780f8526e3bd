using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Following;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Testing;

namespace EventSourcing.Node.Tests.Following;

/// <summary>The follower loop over a leader's Subscribe stream: what a node's pipe does, with the leader served in memory.</summary>
public sealed class RemoteFollowerTests : DogSchoolNodeOnSqlite
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_pipe_over_a_remote_leader_processes_every_event_once_and_tracks_64_bit_positions()
    {
        var school = RemoteProxy.Create<IDogSchool>(School.Client, "DogSchool");
        await school.RegisterDogAsync("Billy");
        await school.AddTrickAsync("Billy", "roll over");
        await LargeIds.SkipAheadAsync(DatabaseFile);
        await using var counters = new Counters(new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
        using var channel = School.NewChannel();
        var pipe = new LeaderPipe(counters, new RemoteNotificationSource("DogSchool", School.Client.Url, channel));
        using var progressed = new SemaphoreSlim(0);
        pipe.Progressed += () => progressed.Release();
        using var stopping = new CancellationTokenSource();
        var running = pipe.RunAsync(stopping.Token);

        await school.AddTrickAsync("Billy", "roll over");
        await school.AddTrickAsync("Billy", "fetch ball");
        await Eventually.HoldsAsync(() => pipe.Position >= LargeIds.Next + 1, progressed, "the pipe to reach the leader's last notification", Deadline);

        Assert.Equal(2, await counters.GetCountAsync("roll over"));
        Assert.Equal(1, await counters.GetCountAsync("fetch ball"));
        Assert.Equal(LargeIds.Next + 1, await counters.Recorder.MaxTrackingIdAsync("DogSchool"));
        var status = pipe.Status;
        Assert.Equal(PipeState.Running, status.State);
        Assert.Equal(0, status.Lag);
        Assert.Equal(await School.Application.Log.GetLogIdAsync(), status.LeaderLogId);
        Assert.Equal("DogSchool at " + NodeCommandLine.Address(School.Client.Url), status.Source);

        await stopping.CancelAsync();
        await running;
        Assert.Equal(PipeState.Stopped, pipe.Status.State);
    }
}
