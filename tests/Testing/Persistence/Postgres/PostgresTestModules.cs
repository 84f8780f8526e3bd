using EventSourcing.Postgres;

namespace EventSourcing.Testing.Persistence.Postgres;

/// <summary>The modules one test opens, on a PostgreSQL schema of its own; disposing closes them and drops the schema.</summary>
public sealed class PostgresTestModules : IAsyncDisposable
{
    private readonly List<PersistenceModule> _modules = [];
    private (PostgresOptions? Options, string ApplicationName) _last;
    private int _applications;

    public string Schema { get; } = PostgresTestServer.NewSchemaName();

    /// <summary>A module on the test's schema (or on <paramref name="options"/>), closed with the others.</summary>
    public PostgresPersistenceModule Create(PostgresOptions? options = null, string applicationName = "Tests")
    {
        var module = new PostgresPersistenceModule(options ?? PostgresTestServer.Options(Schema), applicationName);
        lock (_modules)
        {
            _modules.Add(module);
            _last = (options, applicationName);
        }

        return module;
    }

    /// <summary>A module on tables of its own in the test's schema (an application name no other module of the test has).</summary>
    public PostgresPersistenceModule CreateOnNewTables() => Create(applicationName: $"Tests{Interlocked.Increment(ref _applications)}");

    /// <summary>Another module on the tables of the last one created, as a second process would open them.</summary>
    public PostgresPersistenceModule OpenAgain() => Create(_last.Options, _last.ApplicationName);

    public async ValueTask DisposeAsync()
    {
        foreach (var module in _modules)
        {
            await module.DisposeAsync();
        }

        await PostgresTestServer.DropSchemaAsync(Schema);
    }
}
