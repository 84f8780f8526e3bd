using EventSourcing.Testing;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// A test class whose tests start es-node processes (all killed when a test ends, pass or fail) and keep their files
/// in a directory of the test's own (deleted afterwards).
/// </summary>
public abstract class NodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    protected NodeHarness Nodes { get; } = new(output);

    protected TempDirectory Data { get; } = new();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Nodes.DisposeAsync();
        Data.Dispose();
    }
}
