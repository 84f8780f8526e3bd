using EventSourcing.Testing;
using Xunit.Abstractions;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// A leader that comes back with another log (here: an in-memory leader restarted, whose ids start again at 1) under
/// a follower that keeps its tracking: the follower stops that pipe loudly instead of skipping the new log's events,
/// until it is restarted with --accept-new-leader-log.
/// </summary>
public sealed class LeaderLogTests(ITestOutputHelper output) : NodeTests(output)
{
    [Fact]
    public async Task A_replaced_leader_log_stops_the_pipe_until_it_is_accepted()
    {
        var school = await Nodes.StartAsync("DogSchool", new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
        var countersEnv = new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", ["SQLITE_DBNAME"] = Data.File("counters.db") };
        var counters = await Nodes.StartAsync("Counters", countersEnv, leaders: [school]);
        await school.CallAsync("RegisterDog", "Billy");
        await school.CallAsync("AddTrick", "Billy", "sit");
        await Eventually.ReturnsAsync(async () => (await counters.CallAsync("GetCount", "sit")).NumberValue, count => count == 1, "Counters to count the first sit");
        var firstLog = (await school.Client.StatusAsync()).LogId;

        await NodeHarness.KillAsync(school);
        await Nodes.RestartAsync(school);
        await school.CallAsync("RegisterDog", "Billy");
        await school.CallAsync("AddTrick", "Billy", "sit");
        var secondLog = (await school.Client.StatusAsync()).LogId;

        var pipe = (await Eventually.ReturnsAsync(() => counters.Client.StatusAsync(), s => s.Leaders[0].State == Proto.PipeState.Failed, "the pipe to stop")).Leaders[0];
        Assert.Contains("is another log than the one Counters has followed", pipe.LastError, StringComparison.Ordinal);
        Assert.Contains(firstLog, pipe.LastError, StringComparison.Ordinal);
        Assert.Contains(secondLog, pipe.LastError, StringComparison.Ordinal);
        Assert.False(await counters.Client.IsServingAsync("pipe/DogSchool"));
        Assert.Equal(1, (await counters.CallAsync("GetCount", "sit")).NumberValue);

        await NodeHarness.KillAsync(counters);
        var accepting = await Nodes.StartAsync("Counters", countersEnv, leaders: [school], extraArguments: ["--accept-new-leader-log", "DogSchool"]);
        await Eventually.ReturnsAsync(async () => (await accepting.CallAsync("GetCount", "sit")).NumberValue, count => count == 2, "Counters to count the new log's sit");
        var accepted = (await accepting.Client.StatusAsync()).Leaders[0];
        Assert.Equal(Proto.PipeState.Running, accepted.State);
        Assert.Equal(secondLog, accepted.LeaderLogId);
        Assert.Contains("Accepted as asked", Nodes.LogOf("Counters"), StringComparison.Ordinal);
    }
}
