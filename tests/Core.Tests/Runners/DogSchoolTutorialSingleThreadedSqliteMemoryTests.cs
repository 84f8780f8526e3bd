using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

/// <summary>The tutorial on <c>:memory:</c> SQLite databases (one per application) with the single-threaded runner.</summary>
public sealed class DogSchoolTutorialSingleThreadedSqliteMemoryTests : DogSchoolTutorialTests
{
    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => new SingleThreadedRunner(system, new Dictionary<string, string>(env)
        {
            ["PERSISTENCE_MODULE"] = "eventsourcing.sqlite",
            ["SQLITE_DBNAME"] = ":memory:",
        });
}
