using EventSourcing.Sqlite;

namespace EventSourcing.Testing.Persistence.Sqlite;

/// <summary>The modules one test opens, with a directory of its own for their files; disposing closes them and deletes it.</summary>
public sealed class SqliteTestModules : IAsyncDisposable
{
    private readonly List<SqlitePersistenceModule> _modules = [];
    private (SqliteOptions Options, string ApplicationName) _last;

    public TempDirectory Directory { get; } = new();

    /// <summary>A module on a new database file in the test's directory.</summary>
    public SqlitePersistenceModule CreateFile() => Create(new SqliteOptions(Directory.File($"tests-{_modules.Count}.db")));

    /// <summary>Another module on the database of the last one created, as a second process would open it.</summary>
    public SqlitePersistenceModule OpenAgain() => Create(_last.Options, _last.ApplicationName);

    public SqlitePersistenceModule Create(SqliteOptions options, string applicationName = "Tests")
    {
        var module = new SqlitePersistenceModule(options, applicationName);
        _modules.Add(module);
        _last = (options, applicationName);
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
