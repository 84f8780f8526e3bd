using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Tests.Persistence.Postgres;

/// <summary>The aggregate contract on the snapshots table.</summary>
public class AggregateRecorderPostgresTests : AggregateRecorderTests
{
    private readonly PostgresTestModules _modules = new();

    protected override Task<IAggregateRecorder> CreateAggregateRecorderAsync() => Task.FromResult(_modules.Create().CreateSnapshotRecorder());

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
