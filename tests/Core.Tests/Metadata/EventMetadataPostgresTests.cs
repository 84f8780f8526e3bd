using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Tests.Metadata;

public sealed class EventMetadataPostgresTests : EventMetadataTests
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    protected override IReadOnlyDictionary<string, string> StoreSettings => PostgresTestServer.Environment(_schema);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresTestServer.DropSchemaAsync(_schema);
    }
}
