using EventSourcing.Runner.Grpc;
using EventSourcing.Tests.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>The tutorial on the <see cref="GrpcRunner"/>, each node on its own SQLite file in the test's own directory.</summary>
public sealed class SqliteFileGrpcRunnerDogSchoolTutorialTests(ITestOutputHelper output) : DogSchoolTutorialTests, IDisposable
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

        return GrpcRunners.Create(system, settings, output);
    }
}
