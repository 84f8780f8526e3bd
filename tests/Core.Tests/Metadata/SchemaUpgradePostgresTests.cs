using EventSourcing.Testing.Persistence.Postgres;
using Npgsql;

namespace EventSourcing.Tests.Metadata;

public sealed class SchemaUpgradePostgresTests : SchemaUpgradeTests
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    protected override IReadOnlyDictionary<string, string> Settings
        => PostgresTestServer.Environment(_schema, new Dictionary<string, string> { ["IS_SNAPSHOTTING_ENABLED"] = "true" });

    protected override async Task CreateOldTablesAsync(StoredEvent stored)
    {
        await using var connection = await PostgresTestServer.OpenAsync();
        await using (var ddl = new NpgsqlCommand(
            $"""
            CREATE SCHEMA "{_schema}";
            SET search_path TO "{_schema}";
            CREATE TABLE dogschool_events (
                originator_id uuid NOT NULL,
                originator_version integer NOT NULL,
                topic text NOT NULL,
                state bytea NOT NULL,
                notification_id bigserial NOT NULL,
                PRIMARY KEY (originator_id, originator_version));
            CREATE UNIQUE INDEX dogschool_events_notification_id_idx ON dogschool_events (notification_id ASC);
            CREATE TABLE dogschool_log_identity (id integer PRIMARY KEY CHECK (id = 1), log_id uuid NOT NULL, application_name text);
            INSERT INTO dogschool_log_identity (id, log_id, application_name) VALUES (1, gen_random_uuid(), 'DogSchool');
            CREATE TABLE dogschool_snapshots (
                originator_id uuid NOT NULL,
                originator_version integer NOT NULL,
                topic text NOT NULL,
                state bytea NOT NULL,
                PRIMARY KEY (originator_id, originator_version));
            """,
            connection))
        {
            await ddl.ExecuteNonQueryAsync();
        }

        await using var insert = new NpgsqlCommand(
            $"INSERT INTO \"{_schema}\".dogschool_events (originator_id, originator_version, topic, state) VALUES ($1, $2, $3, $4)",
            connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = stored.OriginatorId });
        insert.Parameters.Add(new NpgsqlParameter { Value = stored.OriginatorVersion });
        insert.Parameters.Add(new NpgsqlParameter { Value = stored.Topic });
        insert.Parameters.Add(new NpgsqlParameter { Value = stored.State });
        await insert.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);
}
