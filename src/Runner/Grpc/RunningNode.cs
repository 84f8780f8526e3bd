using EventSourcing.Runner.Processes;

namespace EventSourcing.Runner.Grpc;

/// <summary>A node started by a <see cref="GrpcRunner"/>: its process (restarted when it dies) and its clients.</summary>
public sealed record RunningNode(string Name, Uri Url, NodeSupervisor Supervisor, NodeClient Client)
{
    public int Pid => Supervisor.Current.Pid;

    /// <summary>The address without a trailing slash, as printed.</summary>
    public string Address => Url.ToString().TrimEnd('/');
}
