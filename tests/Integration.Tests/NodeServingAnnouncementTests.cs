using System.Net;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Testing;
using Xunit.Abstractions;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// A node says on its output that it serves once its store answers, and not before: a runner takes that line as the
/// node's readiness instead of asking over gRPC.
/// </summary>
public sealed class NodeServingAnnouncementTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly NodeHarness _nodes = new(output);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _nodes.DisposeAsync().AsTask();

    [Fact]
    public async Task A_node_says_once_that_it_serves_after_it_says_where_it_listens()
    {
        var school = _nodes.Launch("DogSchool");

        await school.Process.Serving.WaitAsync(NodeHarness.Deadline);

        Assert.True(await school.Client.IsServingAsync());
        var lines = _nodes.LogOf("DogSchool").Split('\n');
        var serving = $"[DogSchool] {NodeAnnouncements.Serving("DogSchool", school.Process.Pid)}";
        Assert.Single(lines, line => line == serving);
        Assert.True(
            Array.FindIndex(lines, line => line.Contains(" listening on ", StringComparison.Ordinal)) < Array.IndexOf(lines, serving),
            "the node said it serves before it said where it listens");
    }

    [Fact]
    public async Task A_node_whose_database_does_not_answer_does_not_say_that_it_serves()
    {
        var nowhere = GrpcRunner.FreePort(IPAddress.Loopback);
        var school = _nodes.Launch("DogSchool", new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "postgres",
            ["POSTGRES_HOST"] = "127.0.0.1",
            ["POSTGRES_PORT"] = nowhere.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["POSTGRES_DBNAME"] = "eventsourcing",
            ["POSTGRES_USER"] = "eventsourcing",
            ["POSTGRES_PASSWORD"] = "eventsourcing",
            ["POSTGRES_CONNECT_TIMEOUT"] = "1",
        });

        // The node listens, and has found its store unreachable (the check its announcement waits for).
        await Eventually.ReturnsAsync(
            async () => await school.Client.IsServingAsync() ? Proto.NodeState.Running : (await TryStatusAsync(school.Client))?.State,
            state => state == Proto.NodeState.StoreUnavailable,
            "the node to answer that its store is unavailable");

        Assert.False(school.Process.Serving.IsCompleted, "the node said it serves while its database did not answer");
        Assert.DoesNotContain(" serving ", _nodes.LogOf("DogSchool"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_whose_store_cannot_open_stops_cleanly_when_asked_to()
    {
        // A database path under a file: opening it fails with an I/O error rather than a store error.
        var school = _nodes.Launch("DogSchool", new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_DBNAME"] = Path.Combine(typeof(NodeServingAnnouncementTests).Assembly.Location, "under-a-file", "school.db"),
        });
        // Listening, its store unavailable, and the reason named.
        var status = await Eventually.ReturnsAsync(
            () => TryStatusAsync(school.Client),
            status => status?.State == Proto.NodeState.StoreUnavailable,
            "the node to answer that its store is unavailable");
        Assert.Contains("under-a-file", status!.LastError, StringComparison.Ordinal);
        Assert.False(await school.Client.IsServingAsync());

        await school.Process.StopAsync(NodeHarness.Deadline);

        Assert.Equal(0, await school.Process.Exited);
        Assert.False(school.Process.Serving.IsCompleted);
    }

    private static async Task<Proto.StatusResponse?> TryStatusAsync(NodeClient client)
    {
        try
        {
            return await client.StatusAsync();
        }
        catch (global::Grpc.Core.RpcException)
        {
            return null;
        }
    }
}
