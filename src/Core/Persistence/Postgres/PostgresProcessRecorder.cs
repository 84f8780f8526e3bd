using EventSourcing.Sql;
using Npgsql;

namespace EventSourcing.Postgres;

/// <summary>An application recorder that also keeps tracking rows (<c>{name}_tracking</c>), written in the same transaction as the events.</summary>
public sealed class PostgresProcessRecorder : PostgresApplicationRecorder, IProcessRecorder
{
    private const string Backend = "postgres";

    internal PostgresProcessRecorder(PostgresDatastore datastore)
        : base(datastore)
    {
    }

    /// <remarks>
    /// Without view changes this is one round trip (tracking rows, lock and events in one batch). With view changes
    /// it is an explicit transaction: tracking rows, then the changes, then the lock and the events, then commit.
    /// </remarks>
    public async Task<IReadOnlyList<long>> InsertAsync(RecordingBatch batch, CancellationToken cancellationToken = default)
    {
        StoredEventBatch.ThrowIfInvalid(batch);
        if (StoredEventBatch.IsEmpty(batch))
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);
        if (batch.ViewChanges.Count == 0)
        {
            return await Datastore.RunAsync((connection, ct) => WriteAsync(connection, null, batch.Tracking, batch.Events, ct), cancellationToken);
        }

        return await Datastore.RunAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await WriteAsync(connection, transaction, batch.Tracking, [], ct);
                await new SqlRecorderTransaction(Backend, connection, transaction).ApplyAsync(batch.ViewChanges, ct);

                var ids = await WriteAsync(connection, transaction, [], batch.Events, ct);
                await transaction.CommitAsync(ct);
                return ids;
            },
            cancellationToken);
    }

    /// <remarks>
    /// The read runs on a pooled connection in autocommit mode (no transaction is given, no lock is taken): each
    /// statement sees what was committed when it started.
    /// </remarks>
    public async Task<T> ReadViewAsync<T>(Func<IRecorderTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.RunAsync((connection, ct) => read(new SqlRecorderTransaction(Backend, connection, null), ct), cancellationToken);
    }

    public async Task<long> MaxTrackingIdAsync(string applicationName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.RunAsync(
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(Datastore.Sql.MaxTrackingId, connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
                return (long)(await command.ExecuteScalarAsync(ct))!;
            },
            cancellationToken);
    }

    public async Task<bool> HasTrackingIdAsync(string applicationName, long notificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.RunAsync(
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(Datastore.Sql.HasTrackingId, connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = notificationId });
                return (bool)(await command.ExecuteScalarAsync(ct))!;
            },
            cancellationToken);
    }

    private protected override async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        await base.EnsureTablesAsync(cancellationToken);
        await Datastore.EnsureTableAsync(Datastore.Sql.TrackingTable, Datastore.Sql.CreateTrackingTable, cancellationToken);
    }
}
