using System.Security.Cryptography;
using System.Text;

namespace EventSourcing.Postgres;

/// <summary>
/// Every SQL statement of one application's tables <c>{name}_events</c>, <c>{name}_snapshots</c> and
/// <c>{name}_tracking</c> (name lower-cased, optionally in a schema). Texts are built once, so Npgsql can prepare them.
/// </summary>
internal sealed class PostgresSql
{
    // Serializes CREATE ... IF NOT EXISTS across processes (two creators would otherwise race on the catalog).
    private const string DdlLock = "SELECT pg_advisory_xact_lock(7241914395211806721)";

    private readonly string _schema;

    public PostgresSql(string? schema, string applicationName)
    {
        ArgumentException.ThrowIfNullOrEmpty(applicationName);
        var name = applicationName.ToLowerInvariant();
        _schema = schema is null ? string.Empty : Quote(schema) + ".";
        EventsTable = name + "_events";
        SnapshotsTable = name + "_snapshots";
        TrackingTable = name + "_tracking";
        Events = _schema + Quote(EventsTable);
        Tracking = _schema + Quote(TrackingTable);
        CreateSchema = schema is null ? null : $"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}";

        // Writers of one events table take this transaction-scoped lock before inserting, so they commit one at a
        // time in the order their notification ids were drawn: a reader never sees id N+k before N.
        var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"eventsourcing:{_schema}{EventsTable}")), 0);
        LockEvents = $"SELECT pg_advisory_xact_lock({key})";

        SelectNotificationsAll = SelectNotificationsText(stop: false, topics: false);
        SelectNotificationsStop = SelectNotificationsText(stop: true, topics: false);
        SelectNotificationsTopics = SelectNotificationsText(stop: false, topics: true);
        SelectNotificationsStopTopics = SelectNotificationsText(stop: true, topics: true);
        MaxNotificationId = $"SELECT COALESCE(MAX(notification_id), 0) FROM {Events}";
        InsertTracking = $"INSERT INTO {Tracking} (application_name, notification_id) SELECT * FROM unnest($1::text[], $2::bigint[])";
        MaxTrackingId = $"SELECT COALESCE(MAX(notification_id), 0) FROM {Tracking} WHERE application_name = $1";
        HasTrackingId = $"SELECT EXISTS (SELECT 1 FROM {Tracking} WHERE application_name = $1 AND notification_id = $2)";
    }

    /// <summary>Unqualified table names, as PostgreSQL reports them in errors.</summary>
    public string EventsTable { get; }

    public string SnapshotsTable { get; }

    public string TrackingTable { get; }

    /// <summary>Qualified, quoted names.</summary>
    public string Events { get; }

    public string Tracking { get; }

    public string? CreateSchema { get; }

    public string LockEvents { get; }

    public string MaxNotificationId { get; }

    public string InsertTracking { get; }

    public string MaxTrackingId { get; }

    public string HasTrackingId { get; }

    private string SelectNotificationsAll { get; }

    private string SelectNotificationsStop { get; }

    private string SelectNotificationsTopics { get; }

    private string SelectNotificationsStopTopics { get; }

    public static string SetLockTimeout(TimeSpan timeout)
        => $"SELECT set_config('lock_timeout', '{(long)Math.Ceiling(timeout.TotalMilliseconds)}ms', true)";

    public string Qualified(string table) => _schema + Quote(table);

    public string[] CreateTables(string table, bool withNotificationIds)
    {
        var qualified = Qualified(table);
        var statements = new List<string> { DdlLock };
        if (CreateSchema is not null)
        {
            statements.Add(CreateSchema);
        }

        statements.Add($"""
            CREATE TABLE IF NOT EXISTS {qualified} (
                originator_id uuid NOT NULL,
                originator_version integer NOT NULL,
                topic text NOT NULL,
                state bytea NOT NULL,{(withNotificationIds ? "\n    notification_id bigserial NOT NULL," : string.Empty)}
                PRIMARY KEY (originator_id, originator_version))
            """);
        if (withNotificationIds)
        {
            statements.Add($"CREATE UNIQUE INDEX IF NOT EXISTS {Quote(table + "_notification_id_idx")} ON {qualified} (notification_id ASC)");
        }

        return [.. statements];
    }

    public string[] CreateTrackingTable()
    {
        var statements = new List<string> { DdlLock };
        if (CreateSchema is not null)
        {
            statements.Add(CreateSchema);
        }

        statements.Add($"""
            CREATE TABLE IF NOT EXISTS {Tracking} (
                application_name text NOT NULL,
                notification_id bigint NOT NULL,
                PRIMARY KEY (application_name, notification_id))
            """);
        return [.. statements];
    }

    public static string InsertEvents(string qualifiedTable, bool returnIds)
        => $"INSERT INTO {qualifiedTable} (originator_id, originator_version, topic, state) "
            + "SELECT * FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::bytea[])"
            + (returnIds ? " RETURNING notification_id" : string.Empty);

    /// <summary>Parameters in order: originator id, then gt, lte and limit when present.</summary>
    public static string SelectEvents(string qualifiedTable, bool gt, bool lte, bool desc, bool limit)
    {
        var n = 1;
        var sql = new StringBuilder($"SELECT originator_version, topic, state FROM {qualifiedTable} WHERE originator_id = $1");
        if (gt)
        {
            sql.Append(" AND originator_version > $").Append(++n);
        }

        if (lte)
        {
            sql.Append(" AND originator_version <= $").Append(++n);
        }

        sql.Append(desc ? " ORDER BY originator_version DESC" : " ORDER BY originator_version");
        if (limit)
        {
            sql.Append(" LIMIT $").Append(++n);
        }

        return sql.ToString();
    }

    /// <summary>Parameters in order: start, limit, then stop and topics (text[]) when present.</summary>
    public string SelectNotifications(bool stop, bool topics) => (stop, topics) switch
    {
        (false, false) => SelectNotificationsAll,
        (true, false) => SelectNotificationsStop,
        (false, true) => SelectNotificationsTopics,
        (true, true) => SelectNotificationsStopTopics,
    };

    private string SelectNotificationsText(bool stop, bool topics)
        => "SELECT notification_id, originator_id, originator_version, topic, state "
            + $"FROM {Events} WHERE notification_id >= $1"
            + (stop ? " AND notification_id <= $3" : string.Empty)
            + (topics ? $" AND topic = ANY(${(stop ? 4 : 3)})" : string.Empty)
            + " ORDER BY notification_id LIMIT $2";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
