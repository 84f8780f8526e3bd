using EventSourcing.Runner.Grpc;
using EventSourcing.Runner.Processes;

namespace EventSourcing.Integration.Tests;

/// <summary>A node a test started by hand.</summary>
public sealed class TestNode(NodeSpec spec, NodeProcess process, NodeClient client)
{
    public NodeSpec Spec { get; } = spec;

    public NodeProcess Process { get; internal set; } = process;

    public NodeClient Client { get; } = client;

    public string Name => Spec.Name;

    public Uri Url => Spec.Url;

    public string Address => Spec.Url.ToString().TrimEnd('/');
}
