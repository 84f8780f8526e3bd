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
        => new MultiThreadedRunner(system, SqliteTestSettings.FilePerApplication(system, _directory.Path, env));
}
