using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

/// <summary>The tutorial on named shared-cache in-memory SQLite databases with the multi-threaded runner.</summary>
public sealed class DogSchoolTutorialMultiThreadedSqliteSharedMemoryTests : DogSchoolTutorialTests
{
    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
    {
        // Named per runner, so tests running side by side never share a database.
        var suffix = Guid.NewGuid().ToString("N");
        return new MultiThreadedRunner(system, new Dictionary<string, string>(env)
        {
            ["PERSISTENCE_MODULE"] = "eventsourcing.sqlite",
            ["DOGSCHOOL_SQLITE_DBNAME"] = $"file:dogschool-{suffix}?mode=memory&cache=shared",
            ["COUNTERS_SQLITE_DBNAME"] = $"file:counters-{suffix}?mode=memory&cache=shared",
        });
    }
}
