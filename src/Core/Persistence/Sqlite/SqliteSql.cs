using System.Text;

namespace EventSourcing.Sqlite;

/// <summary>Every SQL statement of the SQLite backend. Table names are fixed identifiers, never user input.</summary>
internal static class SqliteSql
{
    public const string EventsTable = "stored_events";
    public const string SnapshotsTable = "stored_snapshots";
    public const string TrackingTable = "tracking";

    public static string[] CreateAggregateTable(string table) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {table} (
            originator_id TEXT NOT NULL,
            originator_version INTEGER NOT NULL,
            topic TEXT NOT NULL,
            state BLOB NOT NULL,
            PRIMARY KEY (originator_id, originator_version)) WITHOUT ROWID
        """,
    ];

    // AUTOINCREMENT: an id is never handed out twice, even after the newest rows are deleted.
    public static string[] CreateApplicationTable(string table) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {table} (
            notification_id INTEGER PRIMARY KEY AUTOINCREMENT,
            originator_id TEXT NOT NULL,
            originator_version INTEGER NOT NULL,
            topic TEXT NOT NULL,
            state BLOB NOT NULL)
        """,
        $"CREATE UNIQUE INDEX IF NOT EXISTS {table}_aggregate_idx ON {table} (originator_id, originator_version)",
    ];

    public static readonly string[] CreateTrackingTable =
    [
        $"""
        CREATE TABLE IF NOT EXISTS {TrackingTable} (
            application_name TEXT NOT NULL,
            notification_id INTEGER NOT NULL,
            PRIMARY KEY (application_name, notification_id)) WITHOUT ROWID
        """,
    ];

    public static string InsertEvent(string table, bool returnId) =>
        $"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES ($id, $version, $topic, $state)"
        + (returnId ? " RETURNING notification_id" : string.Empty);

    public static string SelectEvents(string table, bool gt, bool lte, bool desc, bool limit)
    {
        var sql = new StringBuilder($"SELECT originator_version, topic, state FROM {table} WHERE originator_id = $id");
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

    public static string SelectNotifications(string table, bool stop, bool topics)
    {
        var sql = new StringBuilder(
            $"SELECT notification_id, originator_id, originator_version, topic, state FROM {table} WHERE notification_id >= $start");
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

    public static string MaxNotificationId(string table) => $"SELECT MAX(notification_id) FROM {table}";

    public const string InsertTracking =
        $"INSERT INTO {TrackingTable} (application_name, notification_id) VALUES ($application, $id)";

    public const string MaxTrackingId =
        $"SELECT MAX(notification_id) FROM {TrackingTable} WHERE application_name = $application";

    public const string HasTrackingId =
        $"SELECT EXISTS (SELECT 1 FROM {TrackingTable} WHERE application_name = $application AND notification_id = $id)";
}
