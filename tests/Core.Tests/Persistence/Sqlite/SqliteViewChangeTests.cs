using EventSourcing.Sqlite;

namespace EventSourcing.Tests.Persistence.Sqlite;

public class SqliteViewChangeTests : ViewChangeTests
{
    private readonly TempDirectory _directory = new();
    private readonly List<PersistenceModule> _modules = [];

    protected override Task<IProcessRecorder> CreateProcessRecorderAsync()
    {
        var module = new SqlitePersistenceModule(new SqliteOptions(_directory.File($"tests-{_modules.Count}.db")));
        _modules.Add(module);
        return Task.FromResult(module.CreateProcessRecorder());
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
