using EventSourcing.Sql;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Sqlite;

/// <summary>An application recorder that also keeps tracking rows (<c>tracking</c>), written in the same transaction as the events.</summary>
public sealed class SqliteProcessRecorder : SqliteApplicationRecorder, IProcessRecorder
{
    private const string Backend = "sqlite";

    internal SqliteProcessRecorder(SqliteDatastore datastore)
        : base(datastore)
    {
    }

    public async Task<IReadOnlyList<long>> InsertAsync(RecordingBatch batch, CancellationToken cancellationToken = default)
    {
        StoredEventBatch.ThrowIfInvalid(batch);
        if (StoredEventBatch.IsEmpty(batch))
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);

        // One BEGIN IMMEDIATE transaction under the writer lock: tracking rows, view changes, then the events.
        return await Datastore.WriteAsync(
            async (connection, transaction, ct) =>
            {
                await InsertTrackingAsync(connection, transaction, batch.Tracking, ct);
                if (batch.ViewChanges.Count > 0)
                {
                    await new SqlRecorderTransaction(Backend, connection, transaction).ApplyAsync(batch.ViewChanges, ct);
                }

                return await InsertRowsAsync(connection, transaction, batch.Events, ct);
            },
            cancellationToken);
    }

    /// <remarks>
    /// A file database reads on a pooled connection beside the writer (WAL), without the writer's lock; an in-memory
    /// database has only the kept connection, so the read holds the lock for as long as it runs. No transaction is given.
    /// </remarks>
    public async Task<T> ReadViewAsync<T>(Func<IRecorderTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.ReadAsync((connection, ct) => read(new SqlRecorderTransaction(Backend, connection, null), ct), cancellationToken);
    }

    public async Task<long> MaxTrackingIdAsync(string applicationName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = SqliteDatastore.Command(connection, null, SqliteSql.MaxTrackingId);
                command.Parameters.AddWithValue("$application", applicationName);
                return await command.ExecuteScalarAsync(ct) is long max ? max : 0L;
            },
            cancellationToken);
    }

    public async Task<bool> HasTrackingIdAsync(string applicationName, long notificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = SqliteDatastore.Command(connection, null, SqliteSql.HasTrackingId);
                command.Parameters.AddWithValue("$application", applicationName);
                command.Parameters.AddWithValue("$id", notificationId);
                return await command.ExecuteScalarAsync(ct) is long exists && exists != 0;
            },
            cancellationToken);
    }

    private protected override async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        await base.EnsureTablesAsync(cancellationToken);
        await Datastore.EnsureTablesAsync(SqliteSql.TrackingTable, SqliteSql.CreateTrackingTable, cancellationToken);
    }

    private static async Task InsertTrackingAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        IReadOnlyList<Tracking> tracking,
        CancellationToken cancellationToken)
    {
        if (tracking.Count == 0)
        {
            return;
        }

        await using var command = SqliteDatastore.Command(connection, transaction, SqliteSql.InsertTracking);
        var application = command.Parameters.Add("$application", SqliteType.Text);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var t in tracking)
        {
            application.Value = t.ApplicationName;
            id.Value = t.NotificationId;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
