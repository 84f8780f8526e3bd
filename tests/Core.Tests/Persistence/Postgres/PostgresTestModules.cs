using EventSourcing.Postgres;

namespace EventSourcing.Tests.Persistence.Postgres;

/// <summary>The modules one test opens, on a PostgreSQL schema of its own; disposing closes them and drops the schema.</summary>
internal sealed class PostgresTestModules : IAsyncDisposable
{
    private readonly List<PersistenceModule> _modules = [];

    public string Schema { get; } = PostgresTestServer.NewSchemaName();

    /// <summary>A module on the test's schema (or on <paramref name="options"/>), closed with the others.</summary>
    public PostgresPersistenceModule Create(PostgresOptions? options = null, string applicationName = "Tests")
    {
        var module = new PostgresPersistenceModule(options ?? PostgresTestServer.Options(Schema), applicationName);
        lock (_modules)
        {
            _modules.Add(module);
        }

        return module;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var module in _modules)
        {
            await module.DisposeAsync();
        }

        await PostgresTestServer.DropSchemaAsync(Schema);
    }
}
