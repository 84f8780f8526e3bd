using EventSourcing.Sql;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Sqlite;

/// <summary>
/// One application's tables in an SQLite database. Writes are serialized by an in-process lock and run in
/// <c>BEGIN IMMEDIATE</c> transactions on one kept connection, so commits (and notification ids) happen in order.
/// File databases serve reads on pooled connections (WAL lets them run beside the writer); in-memory
/// databases do everything on the kept connection, which also keeps a named database alive.
/// </summary>
internal sealed class SqliteDatastore : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CreatedTables _createdTables = new();
    private readonly string _connectionString;
    private SqliteConnection? _connection;
    private bool _disposed;

    public SqliteDatastore(SqliteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        var isFile = options.Storage == SqliteStorage.File;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DbName,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = isFile,
            // Microsoft.Data.Sqlite retries busy and locked errors until this timeout (it is also the command timeout).
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.LockTimeout.TotalSeconds)),
        }.ToString();
    }

    public SqliteOptions Options { get; }

    private bool IsFile => Options.Storage == SqliteStorage.File;

    /// <summary>Creates the tables of <paramref name="statements"/> once (unless <see cref="SqliteOptions.CreateTables"/> is off).</summary>
    public Task EnsureTablesAsync(string key, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        if (!Options.CreateTables)
        {
            return Task.CompletedTask;
        }

        return _createdTables.EnsureAsync(
            key,
            ct => WriteAsync(
                async (connection, transaction, ct) =>
                {
                    foreach (var sql in statements)
                    {
                        await using var command = Command(connection, transaction, sql);
                        await command.ExecuteNonQueryAsync(ct);
                    }

                    return 0;
                },
                ct),
            cancellationToken);
    }

    /// <summary>Runs <paramref name="read"/> on a connection; driver errors come out as the library's exceptions.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (!IsFile)
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                return await read(KeptConnection(), cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw SqliteErrors.Translate(ex, Options.DbName);
            }
            finally
            {
                _lock.Release();
            }
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            return await read(connection, cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Translate(ex, Options.DbName);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a <c>BEGIN IMMEDIATE</c> transaction, one writer at a time, and commits.
    /// Any exception rolls everything back.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var connection = KeptConnection();
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection, transaction, cancellationToken);
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Translate(ex, Options.DbName);
        }
        finally
        {
            _lock.Release();
        }
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public async ValueTask DisposeAsync()
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

            if (IsFile)
            {
                // Close the idle pooled reader connections, so the file is no longer held open.
                using var pooled = new SqliteConnection(_connectionString);
                SqliteConnection.ClearPool(pooled);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The kept connection, opened on first use. Call with the lock held.</summary>
    private SqliteConnection KeptConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is not null)
        {
            return _connection;
        }

        if (IsFile && !Options.DbName.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            && Path.GetDirectoryName(Path.GetFullPath(Options.DbName)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            if (IsFile)
            {
                // WAL lets readers run while one writer commits; synchronous is per connection, and only this one commits.
                using var pragmas = Command(connection, null, $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {(int)Options.Synchronous};");
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
