namespace EventSourcing.Sql;

/// <summary>
/// The statements the shared recorders run, in one backend's SQL, with the table names written in (from settings,
/// quoted where the backend needs it). A statement's parameters are added in the order its summary lists them, under
/// those names: SQLite binds them by name (<c>$name</c>), PostgreSQL by position (<c>$1</c>, <c>$2</c>...).
/// </summary>
internal abstract class SqlStatements
{
    public abstract SqlEventTable Events { get; }

    public abstract SqlEventTable Snapshots { get; }

    /// <summary>The tracking table's name, as the database reports it in errors.</summary>
    public abstract string TrackingTable { get; }

    /// <summary>The log identity's one-row table, as the database reports it in errors.</summary>
    public abstract string LogIdentityTable { get; }

    /// <summary>The table of the leaders' log ids, as this follower accepted them, as the database reports it in errors.</summary>
    public abstract string LeaderLogsTable { get; }

    /// <summary>
    /// The statements that create <paramref name="table"/> if it is missing, in one transaction. The events table
    /// brings the log identity table (with the owner's column, empty), and a new identity when it has none (inserted or
    /// ignored, so that two creators agree on the first one).
    /// </summary>
    public abstract IReadOnlyList<string> CreateTable(SqlEventTable table);

    /// <summary>The statements that create the tracking table and the leader logs table if they are missing, in one transaction.</summary>
    public abstract IReadOnlyList<string> CreateTrackingTable();

    /// <summary>Parameters: <c>id</c>, then <c>gt</c>, <c>lte</c> and <c>limit</c> when present. Columns: version, topic, state, metadata.</summary>
    public abstract string SelectEvents(SqlEventTable table, bool gt, bool lte, bool desc, bool limit);

    /// <summary>Parameters: <c>start</c>, <c>limit</c>, then <c>stop</c> and <c>topics</c> when present. Columns: id, originator id, version, topic, state, metadata.</summary>
    public abstract string SelectNotifications(bool stop, bool topics);

    /// <summary>No parameters; 0 when the log is empty.</summary>
    public abstract string MaxNotificationId { get; }

    /// <summary>Parameters: <c>application</c>; 0 when nothing was tracked.</summary>
    public abstract string MaxTrackingId { get; }

    /// <summary>Parameters: <c>application</c>, <c>id</c>.</summary>
    public abstract string HasTrackingId { get; }

    /// <summary>No parameters. Columns: the log id, and the name of the application it belongs to (null until one claims it).</summary>
    public abstract string SelectLogIdentity { get; }

    /// <summary>No parameters. 1 when the log identity table has the owner's column <c>application_name</c>, 0 when it was made by an earlier version.</summary>
    public abstract string CountLogOwnerColumn { get; }

    /// <summary>No parameters. Adds the owner's column (nullable) to a log identity table of an earlier version.</summary>
    public abstract string AddLogOwnerColumn { get; }

    /// <summary>Parameters: <c>application</c>. Records it as the log's owner unless one is recorded.</summary>
    public abstract string ClaimLogIdentity { get; }

    /// <summary>Parameters: <c>application</c>. Column: the leader's log id; no row before the first accept.</summary>
    public abstract string SelectLeaderLogId { get; }

    /// <summary>Parameters: <c>application</c>, <c>log</c>. Records the leader's log id, replacing an earlier one.</summary>
    public abstract string UpsertLeaderLog { get; }

    /// <summary>Parameters: <c>application</c>, <c>id</c>. Deletes that application's tracking rows above the id.</summary>
    public abstract string DeleteTrackingAbove { get; }

    /// <summary>No parameters. 1 when <paramref name="table"/> has the <c>metadata</c> column, 0 when it was made by an earlier version.</summary>
    public abstract string CountMetadataColumn(SqlEventTable table);

    /// <summary>No parameters. Adds the <c>metadata</c> column (nullable: the events already there have none) to a table of an earlier version.</summary>
    public abstract string AddMetadataColumn(SqlEventTable table);

    /// <summary>
    /// Parameters: <c>application</c>, <c>start</c>, <c>stop</c>, <c>limit</c>. Column: the ids of that application's
    /// tracking rows with start &lt;= id &lt;= stop, ascending, at most limit.
    /// </summary>
    public abstract string SelectTrackingIds { get; }
}
