using EventSourcing.Testing.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>Database crashes under DogSchool and Counters nodes, which keep their tracking in it.</summary>
public sealed class DatabaseRestartGrpcPostgresTests(ITestOutputHelper output) : DatabaseRestartPostgresTests
{
    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env) => GrpcRunners.Create(system, env, output);
}
