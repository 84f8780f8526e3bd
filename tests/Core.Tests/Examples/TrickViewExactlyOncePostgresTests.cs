using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Tests.Examples;

/// <summary>The follower's view in PostgreSQL, in a schema of its own (the dog school stays in memory).</summary>
public sealed class TrickViewExactlyOncePostgresTests : TrickViewExactlyOnceTests, IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    protected override IReadOnlyDictionary<string, string> CreateEnv()
        => PostgresTestServer.Environment(_schema, new Dictionary<string, string> { ["DOGSCHOOL_PERSISTENCE_MODULE"] = "popo" });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);
}
