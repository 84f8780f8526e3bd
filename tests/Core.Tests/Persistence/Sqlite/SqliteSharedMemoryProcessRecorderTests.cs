using EventSourcing.Sqlite;

namespace EventSourcing.Tests.Persistence.Sqlite;

public class SqliteSharedMemoryProcessRecorderTests : ProcessRecorderTests
{
    private readonly List<PersistenceModule> _modules = [];

    protected override Task<IProcessRecorder> CreateProcessRecorderAsync()
    {
        var module = new SqlitePersistenceModule(new SqliteOptions($"file:tests-{Guid.NewGuid():N}?mode=memory&cache=shared"));
        _modules.Add(module);
        return Task.FromResult(module.CreateProcessRecorder());
    }

    public override async Task DisposeAsync()
    {
        foreach (var module in _modules)
        {
            await module.DisposeAsync();
        }
    }
}
