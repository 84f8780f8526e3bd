using Npgsql;

namespace EventSourcing.Postgres;

/// <summary>How to reach the PostgreSQL database. <see cref="ToString"/> never shows the password.</summary>
public sealed class PostgresOptions
{
    public PostgresOptions(string database, string user)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        Database = database;
        User = user;
    }

    public string Database { get; }

    public string User { get; }

    /// <summary>Host name, IP address, or the directory of a Unix socket. Default <c>localhost</c>.</summary>
    public string Host { get; init; } = "localhost";

    public int Port { get; init; } = 5432;

    /// <summary>Null for trust or peer authentication.</summary>
    public string? Password { get; init; }

    /// <summary>The schema of the tables (created when missing); null for the connection's search path (usually <c>public</c>).</summary>
    public string? Schema { get; init; }

    /// <summary>How long to wait for a connection (also for a free one from the pool). Default 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most connections the pool opens. Default 10. Applications with the same settings share one pool. View reads
    /// (<see cref="IProcessRecorder.ReadViewAsync{T}"/>) take theirs from a second pool of the same size, made on
    /// first use, which resets each session before it serves again.
    /// </summary>
    public int PoolSize { get; init; } = 10;

    /// <summary>How long a write waits for a lock (<c>SET LOCAL lock_timeout</c>) before failing; zero waits as long as it takes. Default zero.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Create missing tables (and the schema) on first use. Default true.</summary>
    public bool CreateTables { get; init; } = true;

    public override string ToString()
        => $"{User}@{Host}:{Port}/{Database}" + (Schema is null ? string.Empty : $" schema {Schema}");

    /// <summary>The Npgsql connection string, password included: the key of the shared data source.</summary>
    internal string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Database = Database,
        Username = User,
        Password = Password,
        Timeout = (int)Math.Ceiling(ConnectTimeout.TotalSeconds),
        MaxPoolSize = PoolSize,
        // A connection goes back to the pool without the RESET ALL, UNLISTEN * and the rest that Npgsql otherwise
        // sends ahead of its next statement, which the server runs before that statement, every time. The library
        // leaves nothing in a session, and resets one itself after a view change's SQL or a LISTEN (see
        // PostgresDatastore.ResetSessionAsync); view reads use a pool that keeps Npgsql's reset (PostgresDataSourceLease).
        NoResetOnClose = true,
        // Statements used twice on a connection are prepared there, so a save sends no SQL text after warm-up.
        MaxAutoPrepare = 64,
        AutoPrepareMinUsages = 2,
        ApplicationName = "eventsourcing",
    }.ConnectionString;
}
