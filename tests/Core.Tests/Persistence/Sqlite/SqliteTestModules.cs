using EventSourcing.Sqlite;

namespace EventSourcing.Tests.Persistence.Sqlite;

/// <summary>The modules one test opens, with a directory of its own for their files; disposing closes them and deletes it.</summary>
internal sealed class SqliteTestModules : IAsyncDisposable
{
    private readonly List<PersistenceModule> _modules = [];

    public TempDirectory Directory { get; } = new();

    /// <summary>A module on a new database file in the test's directory.</summary>
    public SqlitePersistenceModule CreateFile() => Create(new SqliteOptions(Directory.File($"tests-{_modules.Count}.db")));

    public SqlitePersistenceModule Create(SqliteOptions options)
    {
        var module = new SqlitePersistenceModule(options);
        _modules.Add(module);
        return module;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var module in _modules)
        {
            await module.DisposeAsync();
        }

        Directory.Dispose();
    }
}
