using EventSourcing.Testing.Persistence.Sqlite;

namespace EventSourcing.Tests.Persistence.Sqlite;

/// <summary>The aggregate contract on the snapshots table.</summary>
public class AggregateRecorderSqliteFileTests : AggregateRecorderTests
{
    private readonly SqliteTestModules _modules = new();

    protected override Task<IAggregateRecorder> CreateAggregateRecorderAsync() => Task.FromResult(_modules.CreateFile().CreateSnapshotRecorder());

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
