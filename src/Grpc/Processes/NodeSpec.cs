using EventSourcing.Grpc.Hosting;

namespace EventSourcing.Grpc.Processes;

/// <summary>
/// How to start one node: its options (written as its command line by <see cref="NodeCommandLine.Build"/>), the
/// environment it gets on top of this process's, and arguments to add as they are (a test's bad input, say).
/// </summary>
public sealed record NodeSpec(NodeOptions Options, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string>? ExtraArguments = null)
{
    public string Name => Options.Application;

    public Uri Url => Options.Listen;

    /// <summary>The address as printed: scheme, host and port.</summary>
    public string Address => NodeCommandLine.Address(Options.Listen);

    /// <summary>The node's command line. Unless the options name another, the node watches this process and stops when it exits.</summary>
    public IReadOnlyList<string> Arguments
        => [.. NodeCommandLine.Build(Options.ParentPid is null ? Options with { ParentPid = System.Environment.ProcessId } : Options), .. ExtraArguments ?? []];
}
