using EventSourcing.Testing.Persistence.Postgres;
using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

/// <summary>The runner contract with every application's tables in the test's own PostgreSQL schema.</summary>
public sealed class RunnerSingleThreadedPostgresTests : RunnerTests, IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => new SingleThreadedRunner(system, PostgresTestServer.Environment(_schema, env));
}
