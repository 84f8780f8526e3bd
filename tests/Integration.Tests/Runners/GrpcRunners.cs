using System.Reflection;
using EventSourcing.Runner.Grpc;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>GrpcRunners for the shared runner suites, their nodes' logs in the test's output.</summary>
internal static class GrpcRunners
{
    public static GrpcRunner Create(EventSystem system, IReadOnlyDictionary<string, string> env, ITestOutputHelper output)
        => new(system, env, new GrpcRunnerOptions { Output = (name, line) => TestLog.Write(output, $"[{name}] {line}") });

    /// <summary>
    /// A runner for a system defined in this test assembly: nodes cannot find it by name beside es-node, so they
    /// load it as <c>path/to/EventSourcing.Integration.Tests.dll:Namespace.Type</c>.
    /// </summary>
    public static GrpcRunner ForTestSystem(EventSystem system, IReadOnlyDictionary<string, string> env, ITestOutputHelper output)
        => new(system, env, new GrpcRunnerOptions
        {
            SystemSpec = ReferenceOf(system),
            Output = (name, line) => TestLog.Write(output, $"[{name}] {line}"),
        });

    private static string ReferenceOf(EventSystem system)
    {
        var assembly = typeof(GrpcRunners).Assembly;
        var definition = assembly.GetTypes().SingleOrDefault(t =>
            t.IsDefined(typeof(SystemDefinitionAttribute), inherit: false)
            && ReferenceEquals(t.GetProperty("System", BindingFlags.Public | BindingFlags.Static)?.GetValue(null), system))
            ?? throw new ArgumentException($"No [SystemDefinition] in {assembly.GetName().Name} holds the system {string.Join(", ", system.Nodes)}", nameof(system));
        return $"{assembly.Location}:{definition.FullName}";
    }
}
