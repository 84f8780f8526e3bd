using EventSourcing.Grpc;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>
/// GrpcRunners for the shared runner suites, their nodes' logs in the test's output. Nodes find a system defined in
/// EventSourcing.Testing by its [SystemDefinition] name: the runner tells them the assembly that defines it.
/// </summary>
internal static class GrpcRunners
{
    public static GrpcRunner Create(EventSystem system, IReadOnlyDictionary<string, string> env, ITestOutputHelper output)
        => new(system, env, new GrpcRunnerOptions { Output = (name, line) => TestLog.Write(output, $"[{name}] {line}") });
}
