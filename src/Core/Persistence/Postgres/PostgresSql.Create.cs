using EventSourcing.Sql;

namespace EventSourcing.Postgres;

internal sealed partial class PostgresSql
{
    // Serializes CREATE ... IF NOT EXISTS across processes (two creators would otherwise race on the catalog).
    private const string DdlLock = "SELECT pg_advisory_xact_lock(7241914395211806721)";

    public override IReadOnlyList<string> CreateTable(SqlEventTable table)
    {
        var statements = DdlPreamble();
        statements.Add($"""
            CREATE TABLE IF NOT EXISTS {table.Qualified} (
                originator_id uuid NOT NULL,
                originator_version integer NOT NULL,
                topic text NOT NULL,
                state bytea NOT NULL,
                metadata bytea,{(table.NumbersRows ? "\n    notification_id bigserial NOT NULL," : string.Empty)}
                PRIMARY KEY (originator_id, originator_version))
            """);
        if (table.NumbersRows)
        {
            statements.Add($"CREATE UNIQUE INDEX IF NOT EXISTS {Quote(table.Name + "_notification_id_idx")} ON {table.Qualified} (notification_id ASC)");
            statements.Add($"CREATE TABLE IF NOT EXISTS {_logIdentity} (id integer PRIMARY KEY CHECK (id = 1), log_id uuid NOT NULL, application_name text)");
            // A GUID's text is hex digits and dashes, so it can stand in the DDL as a literal.
            statements.Add($"INSERT INTO {_logIdentity} (id, log_id) VALUES (1, '{Guid.NewGuid()}') ON CONFLICT DO NOTHING");
        }

        return statements;
    }

    public override string CountMetadataColumn(SqlEventTable table) => "SELECT COUNT(*) FROM pg_attribute "
        + $"WHERE attrelid = to_regclass('{table.Qualified.Replace("'", "''", StringComparison.Ordinal)}') AND attname = 'metadata' AND NOT attisdropped";

    public override string AddMetadataColumn(SqlEventTable table) => $"ALTER TABLE {table.Qualified} ADD COLUMN IF NOT EXISTS metadata bytea";

    public override IReadOnlyList<string> CreateTrackingTable()
    {
        var statements = DdlPreamble();
        statements.Add($"""
            CREATE TABLE IF NOT EXISTS {_tracking} (
                application_name text NOT NULL,
                notification_id bigint NOT NULL,
                PRIMARY KEY (application_name, notification_id))
            """);
        statements.Add($"CREATE TABLE IF NOT EXISTS {_leaderLogs} (application_name text PRIMARY KEY, log_id uuid NOT NULL)");
        return statements;
    }

    private List<string> DdlPreamble() => CreateSchema is null ? [DdlLock] : [DdlLock, CreateSchema];
}
