using EventSourcing.Testing;
using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

/// <summary>The tutorial on SQLite files (one per application, in the test's own directory) with the multi-threaded runner.</summary>
public sealed class DogSchoolTutorialMultiThreadedSqliteFileTests : DogSchoolTutorialTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => new MultiThreadedRunner(system, new Dictionary<string, string>(env)
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["DOGSCHOOL_SQLITE_DBNAME"] = _directory.File("dogschool.db"),
            ["COUNTERS_SQLITE_DBNAME"] = _directory.File("counters.db"),
        });
}
