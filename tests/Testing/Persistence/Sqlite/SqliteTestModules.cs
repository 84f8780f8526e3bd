using EventSourcing.Sqlite;

namespace EventSourcing.Testing.Persistence.Sqlite;

/// <summary>The modules one test opens, with a directory of its own for their files; disposing closes them and deletes it.</summary>
public sealed class SqliteTestModules : IAsyncDisposable
{
    private readonly List<SqlitePersistenceModule> _modules = [];

    public TempDirectory Directory { get; } = new();

    /// <summary>A module on a new database file in the test's directory.</summary>
    public SqlitePersistenceModule CreateFile() => Create(new SqliteOptions(Directory.File($"tests-{_modules.Count}.db")));

    /// <summary>Another module on the database of the last one created, as a second process would open it.</summary>
    public SqlitePersistenceModule OpenAgain() => Create(_modules[^1].Options);

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
