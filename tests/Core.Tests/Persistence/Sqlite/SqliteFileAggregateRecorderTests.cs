using EventSourcing.Sqlite;

namespace EventSourcing.Tests.Persistence.Sqlite;

/// <summary>The aggregate contract on the snapshots table.</summary>
public class SqliteFileAggregateRecorderTests : AggregateRecorderTests
{
    private readonly TempDirectory _directory = new();
    private readonly List<PersistenceModule> _modules = [];

    protected override Task<IAggregateRecorder> CreateAggregateRecorderAsync()
    {
        var module = new SqlitePersistenceModule(new SqliteOptions(_directory.File($"tests-{_modules.Count}.db")));
        _modules.Add(module);
        return Task.FromResult(module.CreateSnapshotRecorder());
    }

    public override async Task DisposeAsync()
    {
        foreach (var module in _modules)
        {
            await module.DisposeAsync();
        }

        _directory.Dispose();
    }
}
