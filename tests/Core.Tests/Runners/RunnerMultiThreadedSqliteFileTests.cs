using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Sqlite;
using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

/// <summary>The runner contract with every application in its own SQLite file, so state outlives a runner.</summary>
public sealed class RunnerMultiThreadedSqliteFileTests : RunnerTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => new MultiThreadedRunner(system, SqliteTestSettings.FilePerApplication(system, _directory.Path, env));
}
