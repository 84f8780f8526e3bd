using EventSourcing.Sql;
using Npgsql;

namespace EventSourcing.Postgres;

/// <summary>
/// One application's tables in a PostgreSQL database: the shared data source, the SQL, table creation
/// on first use, and the translation of driver errors (every database call goes through <see cref="RunAsync"/>).
/// </summary>
internal sealed class PostgresDatastore : IAsyncDisposable
{
    private readonly PostgresDataSourceLease _lease;
    private readonly CreatedTables _createdTables = new();
    private readonly string _database;

    public PostgresDatastore(PostgresOptions options, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Sql = new PostgresSql(options.Schema, applicationName);
        _database = options.ToString();
        LockTimeoutSql = options.LockTimeout > TimeSpan.Zero ? PostgresSql.SetLockTimeout(options.LockTimeout) : null;
        _lease = PostgresDataSourceLease.Acquire(options);
    }

    public PostgresOptions Options { get; }

    public PostgresSql Sql { get; }

    /// <summary>The statement that bounds lock waits in the current transaction, or null when they are unbounded.</summary>
    public string? LockTimeoutSql { get; }

    /// <summary>Creates a table (with its schema and indexes) once, under the DDL lock, unless <see cref="PostgresOptions.CreateTables"/> is off.</summary>
    public Task EnsureTableAsync(string table, Func<string[]> statements, CancellationToken cancellationToken)
    {
        if (!Options.CreateTables)
        {
            return Task.CompletedTask;
        }

        return _createdTables.EnsureAsync(
            table,
            ct => RunAsync(
                async (connection, ct) =>
                {
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    await using var batch = new NpgsqlBatch(connection, transaction);
                    foreach (var sql in statements())
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
                    }

                    await batch.ExecuteNonQueryAsync(ct);
                    await transaction.CommitAsync(ct);
                    return 0;
                },
                ct),
            cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection; driver errors come out as the library's exceptions.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _lease.DataSource.OpenConnectionAsync(cancellationToken);
            return await work(connection, cancellationToken);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw PostgresErrors.Translate(ex, _database, Sql.TrackingTable);
        }
    }

    public ValueTask DisposeAsync() => _lease.DisposeAsync();
}
