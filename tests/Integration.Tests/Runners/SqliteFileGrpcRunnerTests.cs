using EventSourcing.Runner.Grpc;
using EventSourcing.Tests.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>The runner contract on the <see cref="GrpcRunner"/>, each node on its own SQLite file in the test's own directory, so state outlives a runner.</summary>
public sealed class SqliteFileGrpcRunnerTests(ITestOutputHelper output) : RunnerTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
    {
        var settings = new Dictionary<string, string>(env) { ["PERSISTENCE_MODULE"] = "sqlite" };
        foreach (var name in system.Nodes)
        {
            settings[$"{name.ToUpperInvariant()}_SQLITE_DBNAME"] = _directory.File($"{name.ToLowerInvariant()}.db");
        }

        return GrpcRunners.ForTestSystem(system, settings, output);
    }
}
