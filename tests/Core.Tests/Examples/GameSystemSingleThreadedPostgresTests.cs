using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Tests.Examples;

/// <summary>The Game system on the single-threaded runner with every application's tables in the test's own PostgreSQL schema.</summary>
public sealed class GameSystemSingleThreadedPostgresTests : GameSystemTests, IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);

    protected override IRunner CreateRunner(EventSystem system)
        => new SingleThreadedRunner(system, PostgresTestServer.Environment(_schema));
}
