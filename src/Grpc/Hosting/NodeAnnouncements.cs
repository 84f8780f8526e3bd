namespace EventSourcing.Grpc.Hosting;

/// <summary>
/// Lines es-node prints on its standard output that a runner reads from the nodes it starts. A node started by hand
/// prints them too, for whoever watches it.
/// </summary>
public static class NodeAnnouncements
{
    /// <summary>
    /// Printed once, when the node's store has first answered after it began listening: from then on its health check
    /// (the empty service name) says SERVING. A runner takes it as the node's readiness without asking over gRPC, whose
    /// first call costs a fresh node and a fresh client a few hundred milliseconds of compiling each.
    /// </summary>
    public static string Serving(string application, int pid) => $"es-node {application} pid {pid} serving (its store answers)";

    /// <summary>Whether <paramref name="line"/> is <see cref="Serving"/> of this node.</summary>
    public static bool IsServing(string line, string application, int pid) => string.Equals(line, Serving(application, pid), StringComparison.Ordinal);
}
