using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Sqlite;

namespace EventSourcing.Tests.Examples;

/// <summary>The TrickView system on the multi-threaded runner with every application in its own SQLite file.</summary>
public sealed class TrickViewSystemMultiThreadedSqliteFileTests : TrickViewSystemTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override IRunner CreateRunner(EventSystem system)
        => new MultiThreadedRunner(system, SqliteTestSettings.FilePerApplication(system, _directory.Path));
}
