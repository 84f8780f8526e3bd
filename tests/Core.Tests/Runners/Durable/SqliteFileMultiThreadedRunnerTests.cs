using EventSourcing.Tests.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Tests.Runners.Durable;

/// <summary>The runner contract with every application in its own SQLite file, so state outlives a runner.</summary>
public sealed class SqliteFileMultiThreadedRunnerTests : RunnerTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
    {
        var settings = new Dictionary<string, string>(env) { ["PERSISTENCE_MODULE"] = "sqlite" };
        foreach (var name in system.Nodes)
        {
            settings[$"{name.ToUpperInvariant()}_SQLITE_DBNAME"] = _directory.File($"{name.ToLowerInvariant()}.db");
        }

        return new MultiThreadedRunner(system, settings);
    }
}
