using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Processes;

namespace EventSourcing.Grpc;

/// <summary>A node started by a <see cref="GrpcRunner"/>: its process (restarted when it dies) and its clients.</summary>
public sealed record RunningNode(string Name, Uri Url, NodeSupervisor Supervisor, NodeClient Client)
{
    public int Pid => Supervisor.Current.Pid;

    /// <summary>The address as printed: scheme, host and port.</summary>
    public string Address => NodeCommandLine.Address(Url);
}
