using System.Diagnostics;
using EventSourcing.Benchmarks;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EventSourcing.GrpcBench;

/// <summary>
/// The most a store can commit one at a time: single-row INSERT transactions in a loop, one after another, on one
/// connection, for a given time, at the durability the system is measured at.
/// </summary>
internal abstract class RawCommits
{
    private const int RowBytes = 100;

    public async Task<double> MeasureAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var row = new byte[RowBytes];
        await using var table = await OpenTableAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var commits = 0L;
        while (clock.Elapsed < duration)
        {
            await table.InsertAsync(row, cancellationToken);
            commits++;
        }

        return commits / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A fresh table to insert into; disposing it removes it.</summary>
    protected abstract Task<Table> OpenTableAsync(CancellationToken cancellationToken);

    /// <summary>A table that takes one row per transaction.</summary>
    protected abstract class Table : IAsyncDisposable
    {
        public abstract Task InsertAsync(byte[] row, CancellationToken cancellationToken);

        public abstract ValueTask DisposeAsync();
    }
}

/// <summary>Single-row transactions on a SQLite file in WAL mode, as the store opens its files, at a SQLITE_SYNCHRONOUS level.</summary>
internal sealed class SqliteRawCommits(string synchronous) : RawCommits
{
    protected override async Task<Table> OpenTableAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("eventsourcing-raw-");
        var connection = new SqliteConnection($"Data Source={Path.Combine(directory.FullName, "raw.db")};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await using (var setUp = connection.CreateCommand())
        {
            setUp.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)";
            await setUp.ExecuteNonQueryAsync(cancellationToken);
        }

        return new SqliteTable(connection, directory);
    }

    private sealed class SqliteTable(SqliteConnection connection, DirectoryInfo directory) : Table
    {
        public override async Task InsertAsync(byte[] row, CancellationToken cancellationToken)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO rows (body) VALUES ($body)";
            insert.Parameters.AddWithValue("$body", row);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        public override async ValueTask DisposeAsync()
        {
            await connection.DisposeAsync();
            directory.Delete(recursive: true);
        }
    }
}

/// <summary>Single-row transactions on the PostgreSQL server, in a fresh schema dropped afterwards.</summary>
internal sealed class PostgresRawCommits(PostgresServer server) : RawCommits
{
    protected override async Task<Table> OpenTableAsync(CancellationToken cancellationToken)
    {
        var schema = PostgresServer.NewSchemaName("bench_raw_");
        var connection = await server.OpenConnectionAsync(cancellationToken);
        await using (var setUp = new NpgsqlCommand($"CREATE SCHEMA \"{schema}\"; CREATE TABLE \"{schema}\".rows (id BIGSERIAL PRIMARY KEY, body BYTEA NOT NULL)", connection))
        {
            await setUp.ExecuteNonQueryAsync(cancellationToken);
        }

        var insert = new NpgsqlCommand($"INSERT INTO \"{schema}\".rows (body) VALUES (@body)", connection);
        insert.Parameters.Add(new NpgsqlParameter<byte[]>("body", NpgsqlTypes.NpgsqlDbType.Bytea));
        await insert.PrepareAsync(cancellationToken);
        return new PostgresTable(server, schema, connection, insert);
    }

    private sealed class PostgresTable(PostgresServer server, string schema, NpgsqlConnection connection, NpgsqlCommand insert) : Table
    {
        public override async Task InsertAsync(byte[] row, CancellationToken cancellationToken)
        {
            ((NpgsqlParameter<byte[]>)insert.Parameters[0]).TypedValue = row;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        public override async ValueTask DisposeAsync()
        {
            await insert.DisposeAsync();
            await connection.DisposeAsync();
            await server.DropSchemaAsync(schema);
        }
    }
}
