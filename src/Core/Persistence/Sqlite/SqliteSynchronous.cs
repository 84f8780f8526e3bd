namespace EventSourcing.Sqlite;

/// <summary>
/// SQLite's <c>PRAGMA synchronous</c> for file databases in WAL mode: how hard a commit works to survive
/// a crash. An application crash (the process dies) loses no committed transaction at any level;
/// the levels differ on an operating-system crash or power loss.
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>No fsync. An OS crash or power loss can lose recent commits and may corrupt the database.</summary>
    Off = 0,

    /// <summary>
    /// fsync at checkpoints only. The database stays consistent, but an OS crash or power loss can roll back
    /// the most recent commits, after followers may already have processed them.
    /// </summary>
    Normal = 1,

    /// <summary>fsync of the WAL on every commit: a commit that returned survives power loss. The default.</summary>
    Full = 2,

    /// <summary>As <see cref="Full"/>, and also syncs the directory; only makes a difference outside WAL mode.</summary>
    Extra = 3,
}
