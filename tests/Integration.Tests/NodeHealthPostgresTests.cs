using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Postgres;
using Xunit.Abstractions;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Integration.Tests;

/// <summary>Health that tells the truth: a node whose database is down says so, and serves again when it is back.</summary>
public sealed class NodeHealthPostgresTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly NodeHarness _nodes = new(output);
    private ThrowawayPostgres _postgres = null!;

    public async Task InitializeAsync() => _postgres = await ThrowawayPostgres.StartAsync();

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_node_is_not_serving_while_its_database_is_down_and_serves_again_when_it_is_back()
    {
        var env = new Dictionary<string, string>(_postgres.Settings) { ["PERSISTENCE_MODULE"] = "postgres", ["POSTGRES_CONNECT_TIMEOUT"] = "2" };
        var school = await _nodes.StartAsync("DogSchool", env);
        await school.CallAsync("RegisterDog", "Billy");
        Assert.True(await school.Client.IsServingAsync());

        var outage = _postgres.RestartAsync(TimeSpan.FromSeconds(8));
        await Eventually.ReturnsAsync(() => school.Client.IsServingAsync(), serving => !serving, "the node to say it is not serving", TimeSpan.FromSeconds(8));
        var status = await school.Client.StatusAsync();
        Assert.Equal(Proto.NodeState.StoreUnavailable, status.State);
        Assert.Contains("PostgreSQL", status.LastError, StringComparison.Ordinal);

        await outage;
        await Eventually.ReturnsAsync(() => school.Client.IsServingAsync(), serving => serving, "the node to serve again");
        await Eventually.ReturnsAsync(async () => (await school.Client.StatusAsync()).State, state => state == Proto.NodeState.Running, "the node to be running");
        await school.CallAsync("AddTrick", "Billy", "sit");
    }
}
