using EventSourcing.Postgres;

namespace EventSourcing.Tests.Persistence.Postgres;

/// <summary>The aggregate contract on the snapshots table.</summary>
public class PostgresAggregateRecorderTests : AggregateRecorderTests
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();
    private readonly List<PersistenceModule> _modules = [];

    protected override Task<IAggregateRecorder> CreateAggregateRecorderAsync()
    {
        var module = new PostgresPersistenceModule(PostgresTestServer.Options(_schema), "Tests");
        _modules.Add(module);
        return Task.FromResult(module.CreateSnapshotRecorder());
    }

    public override async Task DisposeAsync()
    {
        foreach (var module in _modules)
        {
            await module.DisposeAsync();
        }

        await PostgresTestServer.DropSchemaAsync(_schema);
    }
}
