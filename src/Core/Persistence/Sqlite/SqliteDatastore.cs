using System.Data.Common;
using System.Text.Json;
using EventSourcing.Sql;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Sqlite;

/// <summary>
/// One application's tables in an SQLite database. Writes are serialized by an in-process lock and run in
/// <c>BEGIN IMMEDIATE</c> transactions on one kept connection, so commits (and notification ids) happen in order.
/// File databases serve reads on connections of their own (<see cref="SqliteReaders"/>; WAL lets them run beside the
/// writer), and a view's read on a connection opened for it; in-memory databases do everything on the kept
/// connection, which also keeps a named database alive.
/// </summary>
internal sealed class SqliteDatastore : SqlDatastore
{
    public const string BackendName = "sqlite";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly string _connectionString;
    private readonly string _dbNameSetting;
    private readonly SqliteReaders _readers;
    private SqliteKeptConnection? _connection;
    private bool _disposed;

    /// <param name="dbNameSetting">The setting <see cref="SqliteOptions.DbName"/> came from, for error messages.</param>
    public SqliteDatastore(SqliteOptions options, string applicationName, string dbNameSetting)
        : base(options?.CreateTables ?? throw new ArgumentNullException(nameof(options)), applicationName)
    {
        Options = options;
        _dbNameSetting = dbNameSetting;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DbName,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Reads keep connections of their own (SqliteReaders); closing one closes its file.
            Pooling = false,
            // Microsoft.Data.Sqlite retries busy and locked errors until this timeout (it is also the command timeout).
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.LockTimeout.TotalSeconds)),
        }.ToString();
        _readers = new SqliteReaders(_connectionString);
    }

    public SqliteOptions Options { get; }

    public override string Backend => BackendName;

    public override SqlStatements Sql => SqliteSql.Instance;

    private bool IsFile => Options.Storage == SqliteStorage.File;

    /// <remarks>A <see cref="Guid"/> is stored as text, topics as one JSON array (read with <c>json_each</c>).</remarks>
    public override void AddParameter<T>(DbCommand command, string name, T value)
        => ((SqliteCommand)command).Parameters.AddWithValue("$" + name, value switch
        {
            Guid id => id.ToString(),
            string[] topics => TopicsParameter(topics),
            _ => value,
        });

    /// <summary>Topics as one parameter: a JSON array, which the statement reads with <c>json_each</c>.</summary>
    public static string TopicsParameter(string[] topics) => JsonSerializer.Serialize(topics);

    /// <summary>On a connection of this datastore, with SQLite's C API when it can be called (<see cref="SqliteNative"/>).</summary>
    public override Task<IReadOnlyList<Notification>> SelectNotificationsAsync(DbConnection connection, string sql, NotificationQuery query, CancellationToken cancellationToken)
        => connection is SqliteKeptConnection { NotificationRows: { } rows }
            ? Task.FromResult(rows.Select(sql, query, cancellationToken))
            : base.SelectNotificationsAsync(connection, sql, query, cancellationToken);

    public override ConfigurationException BelongsToAnother(string owner)
    {
        var own = $"{ApplicationName.ToUpperInvariant()}_{SqlitePersistenceModule.DbNameKey}";
        var example = _dbNameSetting == own ? string.Empty : $", e.g. {own}";
        return new ConfigurationException(
            $"Application {ApplicationName}: the database {Options.DbName} ({_dbNameSetting}) belongs to application {owner}: give each application its own{example}");
    }

    public override async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }

            // Close the idle reader connections, so the file is no longer held open.
            await _readers.DisposeAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    private protected override async Task<T> OnConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, bool ownCode, CancellationToken cancellationToken)
    {
        if (!IsFile)
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                return await work(KeptConnection(), cancellationToken);
            }
            finally
            {
                _lock.Release();
            }
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!ownCode)
        {
            return await OnViewConnectionAsync(work, cancellationToken);
        }

        var connection = await _readers.RentAsync(cancellationToken);
        var failed = true;
        try
        {
            var result = await work(connection, cancellationToken);
            failed = false;
            return result;
        }
        finally
        {
            await _readers.ReturnAsync(connection, failed);
        }
    }

    /// <summary>
    /// A view's read, code from outside the library, on a connection of its own, closed afterwards: nothing the read
    /// leaves on it (a transaction, a reader, a temporary table, an attached database, a setting) reaches the library's
    /// own reads or the next view read. Left on a connection that reads again, an open transaction or reader would
    /// keep every later read on its snapshot, blind to new commits, and a transaction begun by the driver (<c>BEGIN
    /// IMMEDIATE</c>) would hold back every write; closing rolls back what is still open. Opening costs about 60
    /// microseconds of CPU, as PostgreSQL's reset of a view read's session costs a round trip.
    /// </summary>
    private async Task<T> OnViewConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return await work(connection, cancellationToken);
    }

    /// <summary>How often a watcher asks SQLite whether the database changed: cheap, and well within a second.</summary>
    public static readonly TimeSpan ChangeCheckInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>In memory, only this process can commit: it publishes its own commits.</summary>
    private protected override bool OthersCanCommit => IsFile;

    /// <remarks>
    /// SQLite has no notifications: on a connection of its own, the watcher asks <c>PRAGMA data_version</c>, which
    /// changes when another connection (of this process or another) has committed, every
    /// <see cref="ChangeCheckInterval"/>.
    /// </remarks>
    private protected override async Task ListenAsync(Func<long?, CancellationToken, Task> onCommits, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        var seen = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await onCommits(null, cancellationToken);
        using var timer = new PeriodicTimer(ChangeCheckInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var version = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (version != seen)
            {
                seen = version;
                await onCommits(null, cancellationToken);
            }
        }
    }

    private protected override async Task<SqlWriter> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var connection = KeptConnection();
            return new SqliteWriter(connection, connection.BeginTransaction(deferred: false), () => _lock.Release());
        }
        catch
        {
            _lock.Release();
            throw;
        }
    }

    private protected override EventSourcingException? Translate(Exception ex)
        => ex is SqliteException sqlite ? SqliteErrors.Translate(sqlite, Options.DbName) : null;

    /// <summary>The kept connection, opened on first use. Call with the lock held.</summary>
    private SqliteKeptConnection KeptConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is not null)
        {
            return _connection;
        }

        if (IsFile && !Options.DbName.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            && Path.GetDirectoryName(Path.GetFullPath(Options.DbName)) is { Length: > 0 } directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The node stays up, its store unavailable with this as the reason, until the path can be made.
                throw new OperationalException($"SQLite {Options.DbName} ({_dbNameSetting}): its directory {directory} cannot be made: {ex.Message}", ex);
            }
        }

        var connection = new SqliteKeptConnection(_connectionString);
        try
        {
            connection.Open();
            if (IsFile)
            {
                // WAL lets readers run while one writer commits; synchronous is per connection, and only this one commits.
                using var pragmas = connection.CreateCommand();
                pragmas.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {(int)Options.Synchronous};";
                pragmas.ExecuteNonQuery();
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }
}
