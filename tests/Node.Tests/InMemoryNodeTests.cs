using EventSourcing.Grpc.Hosting;

namespace EventSourcing.Node.Tests;

/// <summary>A test class whose tests start in-memory nodes of their own (DogSchool), all disposed when a test ends.</summary>
public abstract class InMemoryNodeTests : IAsyncLifetime
{
    /// <summary>The in-memory store, for tests that need no other.</summary>
    protected static readonly IReadOnlyDictionary<string, string> InMemory = new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" };

    private readonly List<InMemoryNode> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Starts DogSchool with <paramref name="env"/> and the options <paramref name="configure"/> makes.</summary>
    internal async Task<InMemoryNode> StartAsync(IReadOnlyDictionary<string, string> env, Func<NodeOptions, NodeOptions>? configure = null)
    {
        var node = await InMemoryNode.StartAsync("DogSchool", env, configure: configure);
        _nodes.Add(node);
        return node;
    }
}
