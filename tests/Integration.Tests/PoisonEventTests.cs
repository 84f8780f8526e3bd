using EventSourcing.Grpc.V1;
using EventSourcing.Integration.Tests.PoisonSystem;
using EventSourcing.Testing;
using Google.Protobuf.WellKnownTypes;
using Xunit.Abstractions;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// A policy that throws on one event: the follower node stops that pipe (or retries it, as configured), keeps its
/// tracking just before the event, reports the error in Status, and goes on serving; nothing is skipped.
/// </summary>
public sealed class PoisonEventTests(ITestOutputHelper output) : NodeTests(output)
{
    private TestNode _school = null!;

    public override async Task InitializeAsync()
    {
        _school = await Nodes.StartAsync("DogSchool", Sqlite("dogschool.db"), system: PoisonSystemDefinition.Reference);
        await _school.CallAsync("RegisterDog", "Rex");
        await _school.CallAsync("AddTrick", "Rex", "sit");
        await _school.CallAsync("AddTrick", "Rex", PickyCounters.PoisonTrick);
        await _school.CallAsync("AddTrick", "Rex", "roll");
    }

    [Theory]
    [InlineData("Stop", Proto.PipeState.Failed)]
    [InlineData("Retry", Proto.PipeState.Retrying)]
    public async Task A_poison_event_stops_the_pipe_before_it_and_is_reported(string behaviour, Proto.PipeState pipeState)
    {
        var picky = await Nodes.StartAsync(
            "PickyCounters",
            Sqlite("picky.db"),
            leaders: [_school],
            extraArguments: ["--on-policy-error", behaviour],
            system: PoisonSystemDefinition.Reference);

        var status = await Eventually.ReturnsAsync(
            () => picky.Client.StatusAsync(),
            s => s.Leaders.Count == 1 && s.Leaders[0].State == pipeState && s.Leaders[0].LastError.Length > 0,
            $"the DogSchool pipe to be {pipeState}");

        var pipe = status.Leaders[0];
        Assert.Contains("will not count 'bite'", pipe.LastError, StringComparison.Ordinal);
        Assert.Equal(2ul, pipe.Position);
        Assert.Equal(1, (await picky.CallAsync("GetCount", "sit")).NumberValue);
        Assert.Equal(0, (await picky.CallAsync("GetCount", "roll")).NumberValue);
        Assert.True(await picky.Client.IsServingAsync());
        Assert.Equal(pipeState != Proto.PipeState.Failed, await picky.Client.IsServingAsync("pipe/DogSchool"));
        Assert.Contains("will not count 'bite'", Nodes.LogOf("PickyCounters"), StringComparison.Ordinal);
    }

    private Dictionary<string, string> Sqlite(string file) => new()
    {
        ["PERSISTENCE_MODULE"] = "sqlite",
        ["SQLITE_DBNAME"] = Path.Combine(Data.Path, file),
    };
}
