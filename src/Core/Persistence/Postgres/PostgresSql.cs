using System.Security.Cryptography;
using System.Text;
using EventSourcing.Sql;

namespace EventSourcing.Postgres;

/// <summary>
/// Every SQL statement of one application's tables <c>{name}_events</c>, <c>{name}_snapshots</c>, <c>{name}_tracking</c>,
/// <c>{name}_leader_logs</c> and <c>{name}_log_identity</c> (name lower-cased, optionally in a schema). Texts are built
/// once, so Npgsql can prepare them.
/// </summary>
internal sealed partial class PostgresSql : SqlStatements
{
    private readonly string _schema;
    private readonly string _tracking;
    private readonly string _logIdentity;
    private readonly string _leaderLogs;
    private readonly string[] _selectNotifications;

    public PostgresSql(string? schema, string applicationName)
    {
        ArgumentException.ThrowIfNullOrEmpty(applicationName);
        _schema = schema is null ? string.Empty : Quote(schema) + ".";
        TablePrefix = applicationName.ToLowerInvariant() + "_";
        Events = Table(TablePrefix + "events", numbersRows: true);
        Snapshots = Table(TablePrefix + "snapshots", numbersRows: false);
        TrackingTable = TablePrefix + "tracking";
        _tracking = Qualified(TrackingTable);
        LogIdentityTable = TablePrefix + "log_identity";
        _logIdentity = Qualified(LogIdentityTable);
        LeaderLogsTable = TablePrefix + "leader_logs";
        _leaderLogs = Qualified(LeaderLogsTable);
        CreateSchema = schema is null ? null : $"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}";

        // Writers of one events table take this transaction-scoped lock before inserting, so they commit one at a
        // time in the order their notification ids were drawn: a reader never sees id N+k before N.
        var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"eventsourcing:{_schema}{Events.Name}")), 0);
        LockEvents = $"SELECT pg_advisory_xact_lock({key})";

        // Writers' commits are announced right after they commit (PostgresDatastore.Announce), so that subscribers in
        // any process hear of commits from any other.
        // Not in the committing transaction: PostgreSQL serializes the commits of every notifying transaction in the
        // cluster on one lock, held while each waits for its flush to disk, so the commits of all applications (a
        // leader and its followers) would take turns instead of sharing flushes, and one slow flush would hold up
        // every writer. A transaction that only notifies writes nothing to the log before its commit, so its commit
        // does not wait for a flush. The channel is named after the events table; the payload is the greatest
        // notification id committed (writers commit in id order, so every id up to it is committed), so
        // listeners need not ask the table for its maximum.
        var channel = Identifier(schema is null ? Events.Name : $"{schema}.{Events.Name}");
        NotifyEvents = $"SELECT pg_catalog.pg_notify({Literal(channel)}, $1)";
        ListenEvents = $"LISTEN {Quote(channel)}";

        _selectNotifications =
        [
            SelectNotificationsText(stop: false, topics: false),
            SelectNotificationsText(stop: true, topics: false),
            SelectNotificationsText(stop: false, topics: true),
            SelectNotificationsText(stop: true, topics: true),
        ];
        MaxNotificationId = $"SELECT COALESCE(MAX(notification_id), 0) FROM {Events.Qualified}";
        InsertTracking = $"INSERT INTO {_tracking} (application_name, notification_id) SELECT * FROM unnest($1::text[], $2::bigint[])";
        MaxTrackingId = $"SELECT COALESCE(MAX(notification_id), 0) FROM {_tracking} WHERE application_name = $1";
        HasTrackingId = $"SELECT EXISTS (SELECT 1 FROM {_tracking} WHERE application_name = $1 AND notification_id = $2)";
        SelectLogIdentity = $"SELECT log_id, application_name FROM {_logIdentity} WHERE id = 1";
        CountLogOwnerColumn = "SELECT COUNT(*) FROM pg_attribute "
            + $"WHERE attrelid = to_regclass('{_logIdentity.Replace("'", "''", StringComparison.Ordinal)}') AND attname = 'application_name' AND NOT attisdropped";
        AddLogOwnerColumn = $"ALTER TABLE {_logIdentity} ADD COLUMN application_name text";
        ClaimLogIdentity = $"UPDATE {_logIdentity} SET application_name = $1 WHERE id = 1 AND application_name IS NULL";
        SelectLeaderLogId = $"SELECT log_id FROM {_leaderLogs} WHERE application_name = $1";
        UpsertLeaderLog = $"INSERT INTO {_leaderLogs} (application_name, log_id) VALUES ($1, $2) "
            + "ON CONFLICT (application_name) DO UPDATE SET log_id = excluded.log_id";
        DeleteTrackingAbove = $"DELETE FROM {_tracking} WHERE application_name = $1 AND notification_id > $2";
        SelectTrackingIds = $"SELECT notification_id FROM {_tracking} WHERE application_name = $1 AND notification_id >= $2 "
            + "AND notification_id <= $3 ORDER BY notification_id LIMIT $4";
    }

    public override SqlEventTable Events { get; }

    public override SqlEventTable Snapshots { get; }

    public override string TrackingTable { get; }

    public override string LogIdentityTable { get; }

    public override string LeaderLogsTable { get; }

    /// <summary>What every table name of the application starts with: its name lower-cased, then an underscore.</summary>
    public string TablePrefix { get; }

    public string? CreateSchema { get; }

    public string LockEvents { get; }

    /// <summary>
    /// Sent after commits that inserted events, in a transaction of its own (parameter: the greatest id committed, as
    /// text): listeners hear of the commits and their greatest id. Tests may change it.
    /// </summary>
    public string NotifyEvents { get; internal set; }

    /// <summary>What a connection runs to hear of commits to the events table.</summary>
    public string ListenEvents { get; }

    public override string MaxNotificationId { get; }

    /// <summary>Parameters: the application names (<c>text[]</c>) and the notification ids (<c>bigint[]</c>).</summary>
    public string InsertTracking { get; }

    public override string MaxTrackingId { get; }

    public override string HasTrackingId { get; }

    public override string SelectLogIdentity { get; }

    public override string CountLogOwnerColumn { get; }

    public override string AddLogOwnerColumn { get; }

    public override string ClaimLogIdentity { get; }

    public override string SelectLeaderLogId { get; }

    public override string UpsertLeaderLog { get; }

    public override string DeleteTrackingAbove { get; }

    public override string SelectTrackingIds { get; }

    public static string SetLockTimeout(TimeSpan timeout)
        => $"SELECT set_config('lock_timeout', '{(long)Math.Ceiling(timeout.TotalMilliseconds)}ms', true)";

    /// <summary>Parameters: five arrays, for <c>unnest($1::uuid[], $2::integer[], $3::text[], $4::bytea[], $5::bytea[])</c>.</summary>
    public static string InsertEvents(SqlEventTable table)
        => $"INSERT INTO {table.Qualified} (originator_id, originator_version, topic, state, metadata) "
            + "SELECT * FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::bytea[], $5::bytea[])"
            + (table.NumbersRows ? " RETURNING notification_id" : string.Empty);

    public override string SelectEvents(SqlEventTable table, bool gt, bool lte, bool desc, bool limit)
    {
        var n = 1;
        var sql = new StringBuilder($"SELECT originator_version, topic, state, metadata FROM {table.Qualified} WHERE originator_id = $1");
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

    public override string SelectNotifications(bool stop, bool topics) => _selectNotifications[(stop ? 1 : 0) + (topics ? 2 : 0)];

    private string SelectNotificationsText(bool stop, bool topics)
        => "SELECT notification_id, originator_id, originator_version, topic, state, metadata "
            + $"FROM {Events.Qualified} WHERE notification_id >= $1"
            + (stop ? " AND notification_id <= $3" : string.Empty)
            + (topics ? $" AND topic = ANY(${(stop ? 4 : 3)})" : string.Empty)
            + " ORDER BY notification_id LIMIT $2";

    private SqlEventTable Table(string name, bool numbersRows) => new(name, Qualified(name), numbersRows);

    private string Qualified(string table) => _schema + Quote(table);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// <paramref name="name"/> as PostgreSQL keeps an identifier: cut to 63 bytes of UTF-8, not within a character.
    /// <c>LISTEN</c> cuts a longer channel name so; <c>pg_notify</c> refuses one, so it is given the cut name.
    /// </summary>
    internal static string Identifier(string name)
    {
        const int MaxBytes = 63;
        if (Encoding.UTF8.GetByteCount(name) <= MaxBytes)
        {
            return name;
        }

        var length = 0;
        var bytes = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return name[..length];
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
