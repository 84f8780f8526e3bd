using EventSourcing.Grpc.V1;
using EventSourcing.Testing;
using Google.Protobuf.WellKnownTypes;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>DogSchool and Counters started by hand on two addresses, as on two hosts, each with its own database.</summary>
public sealed class TwoHostsTests(ITestOutputHelper output) : NodeTests(output)
{
    [Fact]
    public async Task Counters_on_one_address_count_the_tricks_of_the_school_on_another()
    {
        var school = await Nodes.StartAsync("DogSchool", Env("DogSchool"), host: "127.0.0.2");
        var counters = await Nodes.StartAsync("Counters", Env("Counters"), host: "127.0.0.3", leaders: [school]);

        await school.CallAsync("RegisterDog", "Billy");
        await school.CallAsync("RegisterDog", "Milly");
        await school.CallAsync("AddTrick", "Billy", "roll over");
        await school.CallAsync("AddTrick", "Milly", "roll over");
        await school.CallAsync("AddTrick", "Billy", "fetch ball");

        await Eventually.ReturnsAsync(async () => (await counters.Client.StatusAsync()).Leaders.Single().Position, p => p >= 5, "Counters to catch up");
        Assert.Equal(2, (await counters.CallAsync("GetCount", "roll over")).NumberValue);
        Assert.Equal(1, (await counters.CallAsync("GetCount", "fetch ball")).NumberValue);
        var status = await counters.Client.StatusAsync();
        Assert.Equal("http://127.0.0.2:" + school.Url.Port, status.Leaders.Single().Url);
        Assert.Equal(Role.Follower, status.Role);
        Assert.StartsWith("sqlite", status.Persistence, StringComparison.Ordinal);
        Assert.True(File.Exists(Data.File("DogSchool.sqlite")) && File.Exists(Data.File("Counters.sqlite")), "each node has its own SQLite file");
    }

    [Fact]
    public async Task A_node_on_a_non_loopback_address_refuses_to_start_unprotected()
    {
        var result = await Assert.ThrowsAsync<OperationalException>(() => Nodes.StartAsync("DogSchool", host: "0.0.0.0"));
        Assert.Contains("exited with code 2", result.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Env(string application)
        => new() { ["PERSISTENCE_MODULE"] = "sqlite", [$"{application.ToUpperInvariant()}_SQLITE_DBNAME"] = Data.File($"{application}.sqlite") };
}
