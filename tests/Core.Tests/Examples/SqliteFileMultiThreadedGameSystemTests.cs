using EventSourcing.Tests.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Tests.Examples;

/// <summary>The Game system on the multi-threaded runner with every application in its own SQLite file.</summary>
public sealed class SqliteFileMultiThreadedGameSystemTests : GameSystemTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    protected override IRunner CreateRunner(EventSystem system)
    {
        var settings = new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite" };
        foreach (var name in system.Nodes)
        {
            settings[$"{name.ToUpperInvariant()}_SQLITE_DBNAME"] = _directory.File($"{name.ToLowerInvariant()}.db");
        }

        return new MultiThreadedRunner(system, settings);
    }
}
