namespace EventSourcing.Sqlite;

/// <summary>How one application's SQLite database is opened.</summary>
public sealed record SqliteOptions
{
    /// <summary>The default <see cref="LockTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(5);

    public SqliteOptions(string dbName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dbName);
        DbName = dbName.Trim();
        Storage = StorageOf(DbName);
    }

    /// <summary>A file path, <c>:memory:</c>, or a <c>file:</c> URI such as <c>file:NAME?mode=memory&amp;cache=shared</c>.</summary>
    public string DbName { get; }

    public SqliteStorage Storage { get; }

    /// <summary>How long a writer waits for another connection's write lock before failing, in whole seconds (rounded up, at least 1). Default 5 seconds.</summary>
    public TimeSpan LockTimeout { get; init; } = DefaultLockTimeout;

    /// <summary>
    /// Default <see cref="SqliteSynchronous.Full"/>: a follower may process an event (in another database) as soon as
    /// it is committed, so losing that commit to a power cut would break exactly-once processing downstream.
    /// </summary>
    public SqliteSynchronous Synchronous { get; init; } = SqliteSynchronous.Full;

    /// <summary>Create missing tables on first use (<c>CREATE_TABLE</c>, default true).</summary>
    public bool CreateTables { get; init; } = true;

    private static SqliteStorage StorageOf(string dbName)
    {
        if (dbName == ":memory:")
        {
            return SqliteStorage.Memory;
        }

        if (dbName.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var q = dbName.IndexOf('?', StringComparison.Ordinal);
            var query = q >= 0 ? dbName[(q + 1)..] : string.Empty;
            var path = q >= 0 ? dbName[5..q] : dbName[5..];
            var isMemory = path == ":memory:"
                || query.Split('&').Any(p => p.Equals("mode=memory", StringComparison.OrdinalIgnoreCase));
            return isMemory ? SqliteStorage.SharedMemory : SqliteStorage.File;
        }

        return SqliteStorage.File;
    }
}
