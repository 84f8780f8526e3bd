using System.Data.Common;
using EventSourcing.Sql;
using Npgsql;

namespace EventSourcing.Postgres;

/// <summary>
/// One application's tables in a PostgreSQL database, on the shared data source: reads and writes on pooled
/// connections, writes as <see cref="PostgresWriter"/> batches, and Npgsql's errors as the library's exceptions.
/// </summary>
internal sealed class PostgresDatastore : SqlDatastore
{
    public const string BackendName = "postgres";

    private readonly PostgresDataSourceLease _lease;
    private readonly PostgresSql _sql;
    private readonly string _database;
    private readonly string? _setLockTimeout;

    public PostgresDatastore(PostgresOptions options, string applicationName)
        : base(options?.CreateTables ?? throw new ArgumentNullException(nameof(options)), applicationName)
    {
        _sql = new PostgresSql(options.Schema, applicationName);
        _database = options.ToString();
        _setLockTimeout = options.LockTimeout > TimeSpan.Zero ? PostgresSql.SetLockTimeout(options.LockTimeout) : null;
        _lease = PostgresDataSourceLease.Acquire(options);
    }

    public override string Backend => BackendName;

    public override SqlStatements Sql => _sql;

    /// <remarks>Parameters are positional, typed from <typeparamref name="T"/> (<c>string[]</c> is <c>text[]</c>).</remarks>
    public override void AddParameter<T>(DbCommand command, string name, T value)
        => ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });

    /// <remarks>Only an application whose name is another's lower-cased, or one reaching another's tables by name, gets here.</remarks>
    public override ConfigurationException BelongsToAnother(string owner)
        => new($"Application {ApplicationName}: the tables {_sql.TablePrefix}* in {_database} belong to application {owner}: "
            + "table names are the application name lower-cased, so give each application a name of its own (not only in case), "
            + "or a schema of its own (POSTGRES_SCHEMA)");

    public override async ValueTask DisposeAsync()
    {
        Task announcing;
        lock (_announceLock)
        {
            _disposed = true;
            announcing = _announcing;
        }

        await announcing;
        await _lease.DisposeAsync();
    }

    /// <summary>The least time between two notifications of one application's commits (see <see cref="Announce"/>).</summary>
    private static readonly TimeSpan AnnounceInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>How long a notification may take (it waits for the notification queue's lock; see <see cref="Announce"/>).</summary>
    private const int AnnounceTimeoutSeconds = 2;

    private readonly Lock _announceLock = new();
    private long _toAnnounce;
    private bool _announcerRunning;
    private bool _disposed;
    private Task _announcing = Task.CompletedTask;

    /// <summary>
    /// Tells listeners in other processes of a commit whose greatest notification id is <paramref name="committed"/>,
    /// off the writer's path: at once when nothing was announced in the last <see cref="AnnounceInterval"/>, otherwise
    /// with the commits that follow meanwhile, in one notification carrying the greatest id. Not inside the committing
    /// transaction (see <see cref="PostgresSql.NotifyEvents"/>), and not on the writer's connection, so that neither a
    /// commit nor its caller waits for it, and a notification that fails (the server's notification queue full, its
    /// lock held too long by a transaction that notifies inside itself) fails no write: listeners find the commit
    /// when they next read the log's maximum, within <see cref="QuietRecheck"/>. It takes a connection of the pool
    /// for each notification (so an application may use one more connection than it writes on).
    /// </summary>
    internal void Announce(long committed)
    {
        lock (_announceLock)
        {
            _toAnnounce = Math.Max(_toAnnounce, committed);
            if (_announcerRunning || _disposed)
            {
                return;
            }

            _announcerRunning = true;
            // Not in the trace of the write that happened to start it: its spans would outlive that write's.
            using (ExecutionContext.SuppressFlow())
            {
                _announcing = Task.Run(AnnounceAsync);
            }
        }
    }

    private async Task AnnounceAsync()
    {
        while (true)
        {
            long committed;
            lock (_announceLock)
            {
                committed = _toAnnounce;
                _toAnnounce = 0;
                if (committed == 0)
                {
                    _announcerRunning = false;
                    return;
                }
            }

            try
            {
                await using var connection = await _lease.DataSource.OpenConnectionAsync();
                await using var notify = new NpgsqlCommand(_sql.NotifyEvents, connection) { CommandTimeout = AnnounceTimeoutSeconds };
                notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = committed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                await notify.ExecuteNonQueryAsync();
            }
            catch (Exception ex)
            {
                // Not announced: listeners find the commit when they next read the log's maximum. Counted, so that an
                // operator sees why followers in other processes hear late.
                EventSourcing.Diagnostics.Instruments.CommitAnnouncementFailed(ApplicationName, Backend, ex);
            }

            lock (_announceLock)
            {
                if (_disposed)
                {
                    // What comes now is not announced (no Announce starts a loop any more); listeners find it later.
                    _announcerRunning = false;
                    return;
                }
            }

            await Task.Delay(AnnounceInterval);
        }
    }

    /// <summary>
    /// What Npgsql sends when a connection goes back to its pool, unless told not to (<c>No Reset On Close</c>): the
    /// session as it was opened, its prepared statements kept.
    /// </summary>
    internal const string ResetSession =
        "SET SESSION AUTHORIZATION DEFAULT;RESET ALL;CLOSE ALL;UNLISTEN *;SELECT pg_advisory_unlock_all();DISCARD SEQUENCES;DISCARD TEMP";

    /// <summary>
    /// Puts <paramref name="connection"/>'s session back as it was opened, once the library's transaction on it is over,
    /// after code that may have changed it (a view change's SQL, a LISTEN): the pool does not (see
    /// <see cref="PostgresOptions"/>). A connection that cannot be reset (a reader left open, the reset refused) is
    /// closed when it goes back, with the pool's idle ones, rather than pooled.
    /// </summary>
    internal static async Task ResetSessionAsync(NpgsqlConnection connection, NpgsqlDataSource dataSource)
    {
        if (connection.FullState is System.Data.ConnectionState.Closed or System.Data.ConnectionState.Broken)
        {
            // Npgsql does not pool it.
            return;
        }

        if (connection.FullState == System.Data.ConnectionState.Open)
        {
            try
            {
                await using var reset = new NpgsqlCommand(ResetSession, connection);
                await reset.ExecuteNonQueryAsync(CancellationToken.None);
                return;
            }
            catch (Exception ex) when (PostgresErrors.IsDriverError(ex) || ex is InvalidOperationException)
            {
                // Not reset: not to be pooled.
            }
        }

        // Closes the idle connections now, and the busy ones (this one) when they go back.
        dataSource.Clear();
    }

    private protected override async Task<T> OnConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, bool ownCode, CancellationToken cancellationToken)
    {
        // A view's read gets a connection of the pool that resets sessions itself, since it may leave anything behind.
        await using var connection = await (ownCode ? _lease.DataSource : _lease.ForViews).OpenConnectionAsync(cancellationToken);
        return await work(connection, cancellationToken);
    }

    /// <summary>
    /// How long a listener waits without hearing anything before it has the log's maximum read anyway: a writer's
    /// commits are announced after they commit (see <see cref="Announce"/>), so one that died in between, or whose
    /// notification failed, leaves a commit nobody announced. Then that commit is found within this long, unless a
    /// later one announces it first. Tests may change it.
    /// </summary>
    internal TimeSpan QuietRecheck { get; set; } = TimeSpan.FromSeconds(1);

    /// <remarks>
    /// On a connection of its own (held while it listens): LISTEN on the events table's channel, on which writers
    /// announce their commits with the greatest notification id committed, then wait for notifications. A
    /// notification without an id (sent by an earlier version, or by hand) makes the caller read the log's maximum, as
    /// do the first call and a call after <see cref="QuietRecheck"/> without a notification.
    /// </remarks>
    private protected override async Task ListenAsync(Func<long?, CancellationToken, Task> onCommits, CancellationToken cancellationToken)
    {
        await using var connection = await _lease.DataSource.OpenConnectionAsync(cancellationToken);
        long heard = 0;
        var withoutId = false;
        void Heard(object sender, NpgsqlNotificationEventArgs e)
        {
            // Raised while WaitAsync reads the connection, never beside the loop below.
            if (long.TryParse(e.Payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                heard = Math.Max(heard, id);
            }
            else
            {
                withoutId = true;
            }
        }

        connection.Notification += Heard;
        try
        {
            await using (var listen = new NpgsqlCommand(_sql.ListenEvents, connection))
            {
                await listen.ExecuteNonQueryAsync(cancellationToken);
            }

            await onCommits(null, cancellationToken);
            while (true)
            {
                // Quiet for that long: read the maximum, in case of a commit nobody announced.
                await connection.WaitAsync(QuietRecheck, cancellationToken);
                long? max = withoutId || heard == 0 ? null : heard;
                (heard, withoutId) = (0, false);
                await onCommits(max, cancellationToken);
            }
        }
        finally
        {
            connection.Notification -= Heard;
            // A pooled connection left listening would hold back the server's notification queue while idle.
            await ResetSessionAsync(connection, _lease.DataSource);
        }
    }

    private protected override async Task<SqlWriter> BeginWriteAsync(CancellationToken cancellationToken)
        => new PostgresWriter(await _lease.DataSource.OpenConnectionAsync(cancellationToken), _lease.DataSource, _sql, _setLockTimeout, Announce);

    private protected override EventSourcingException? Translate(Exception ex)
    {
        if (!PostgresErrors.IsDriverError(ex))
        {
            return null;
        }

        var translated = PostgresErrors.Translate(ex, _database, _sql.TrackingTable);
        if (PostgresErrors.IsConnectionLost(ex))
        {
            // The server went away (restarted, say): the other idle connections of the pool are as dead as this one,
            // and each would fail the next command that takes it. Drop them all, so that commands open new ones.
            _lease.DataSource.Clear();
        }

        return translated;
    }
}
