using System.Text;
using EventSourcing.Sql;

namespace EventSourcing.Sqlite;

/// <summary>Every SQL statement of the SQLite backend. The table names are the same in every database.</summary>
internal sealed class SqliteSql : SqlStatements
{
    public const string EventsTableName = "stored_events";
    public const string SnapshotsTableName = "stored_snapshots";
    public const string TrackingTableName = "tracking";
    public const string LogIdentityTableName = "log_identity";
    public const string LeaderLogsTableName = "leader_logs";

    public const string InsertTracking =
        $"INSERT INTO {TrackingTableName} (application_name, notification_id) VALUES ($application, $id)";

    public static readonly SqliteSql Instance = new();

    private SqliteSql()
    {
    }

    public override SqlEventTable Events { get; } = new(EventsTableName, EventsTableName, NumbersRows: true);

    public override SqlEventTable Snapshots { get; } = new(SnapshotsTableName, SnapshotsTableName, NumbersRows: false);

    public override string TrackingTable => TrackingTableName;

    public override string LogIdentityTable => LogIdentityTableName;

    public override string LeaderLogsTable => LeaderLogsTableName;

    public override string MaxNotificationId { get; } = $"SELECT COALESCE(MAX(notification_id), 0) FROM {EventsTableName}";

    public override string MaxTrackingId { get; } =
        $"SELECT COALESCE(MAX(notification_id), 0) FROM {TrackingTableName} WHERE application_name = $application";

    public override string HasTrackingId { get; } =
        $"SELECT EXISTS (SELECT 1 FROM {TrackingTableName} WHERE application_name = $application AND notification_id = $id)";

    public override string SelectLogIdentity { get; } = $"SELECT log_id, application_name FROM {LogIdentityTableName} WHERE id = 1";

    public override string CountLogOwnerColumn { get; } =
        $"SELECT COUNT(*) FROM pragma_table_info('{LogIdentityTableName}') WHERE name = 'application_name'";

    public override string AddLogOwnerColumn { get; } = $"ALTER TABLE {LogIdentityTableName} ADD COLUMN application_name TEXT";

    public override string ClaimLogIdentity { get; } =
        $"UPDATE {LogIdentityTableName} SET application_name = $application WHERE id = 1 AND application_name IS NULL";

    public override string SelectLeaderLogId { get; } = $"SELECT log_id FROM {LeaderLogsTableName} WHERE application_name = $application";

    public override string UpsertLeaderLog { get; } =
        $"INSERT INTO {LeaderLogsTableName} (application_name, log_id) VALUES ($application, $log) "
        + "ON CONFLICT (application_name) DO UPDATE SET log_id = excluded.log_id";

    public override string DeleteTrackingAbove { get; } =
        $"DELETE FROM {TrackingTableName} WHERE application_name = $application AND notification_id > $id";

    public override IReadOnlyList<string> CreateTable(SqlEventTable table) => table.NumbersRows
        ?
        [
            // AUTOINCREMENT: an id is never handed out twice, even after the newest rows are deleted.
            $"""
            CREATE TABLE IF NOT EXISTS {table.Qualified} (
                notification_id INTEGER PRIMARY KEY AUTOINCREMENT,
                originator_id TEXT NOT NULL,
                originator_version INTEGER NOT NULL,
                topic TEXT NOT NULL,
                state BLOB NOT NULL,
                metadata BLOB)
            """,
            $"CREATE UNIQUE INDEX IF NOT EXISTS {table.Name}_aggregate_idx ON {table.Qualified} (originator_id, originator_version)",
            $"CREATE TABLE IF NOT EXISTS {LogIdentityTableName} (id INTEGER PRIMARY KEY CHECK (id = 1), log_id TEXT NOT NULL, application_name TEXT)",
            // A GUID's text is hex digits and dashes, so it can stand in the DDL as a literal.
            $"INSERT OR IGNORE INTO {LogIdentityTableName} (id, log_id) VALUES (1, '{Guid.NewGuid()}')",
        ]
        :
        [
            $"""
            CREATE TABLE IF NOT EXISTS {table.Qualified} (
                originator_id TEXT NOT NULL,
                originator_version INTEGER NOT NULL,
                topic TEXT NOT NULL,
                state BLOB NOT NULL,
                metadata BLOB,
                PRIMARY KEY (originator_id, originator_version)) WITHOUT ROWID
            """,
        ];

    public override IReadOnlyList<string> CreateTrackingTable() =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {TrackingTableName} (
            application_name TEXT NOT NULL,
            notification_id INTEGER NOT NULL,
            PRIMARY KEY (application_name, notification_id)) WITHOUT ROWID
        """,
        $"CREATE TABLE IF NOT EXISTS {LeaderLogsTableName} (application_name TEXT PRIMARY KEY, log_id TEXT NOT NULL)",
    ];

    public override string SelectTrackingIds { get; } =
        $"SELECT notification_id FROM {TrackingTableName} WHERE application_name = $application AND notification_id >= $start "
        + "AND notification_id <= $stop ORDER BY notification_id LIMIT $limit";

    public override string CountMetadataColumn(SqlEventTable table)
        => $"SELECT COUNT(*) FROM pragma_table_info('{table.Name}') WHERE name = 'metadata'";

    public override string AddMetadataColumn(SqlEventTable table) => $"ALTER TABLE {table.Qualified} ADD COLUMN metadata BLOB";

    /// <summary>Parameters: <c>$id</c>, <c>$version</c>, <c>$topic</c>, <c>$state</c>, <c>$metadata</c>; returns the notification id when the table numbers its rows.</summary>
    public static string InsertEvent(SqlEventTable table) =>
        $"INSERT INTO {table.Qualified} (originator_id, originator_version, topic, state, metadata) VALUES ($id, $version, $topic, $state, $metadata)"
        + (table.NumbersRows ? " RETURNING notification_id" : string.Empty);

    public override string SelectEvents(SqlEventTable table, bool gt, bool lte, bool desc, bool limit)
    {
        var sql = new StringBuilder($"SELECT originator_version, topic, state, metadata FROM {table.Qualified} WHERE originator_id = $id");
        if (gt)
        {
            sql.Append(" AND originator_version > $gt");
        }

        if (lte)
        {
            sql.Append(" AND originator_version <= $lte");
        }

        sql.Append(desc ? " ORDER BY originator_version DESC" : " ORDER BY originator_version");
        if (limit)
        {
            sql.Append(" LIMIT $limit");
        }

        return sql.ToString();
    }

    public override string SelectNotifications(bool stop, bool topics)
    {
        var sql = new StringBuilder(
            $"SELECT notification_id, originator_id, originator_version, topic, state, metadata FROM {EventsTableName} WHERE notification_id >= $start");
        if (stop)
        {
            sql.Append(" AND notification_id <= $stop");
        }

        if (topics)
        {
            // One parameter (a JSON array) for any number of topics keeps the statement text stable.
            sql.Append(" AND topic IN (SELECT value FROM json_each($topics))");
        }

        return sql.Append(" ORDER BY notification_id LIMIT $limit").ToString();
    }
}
