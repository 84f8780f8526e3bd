using System.Globalization;

namespace EventSourcing.Sql;

/// <summary>An application recorder that also keeps tracking rows, written in the same transaction as the events.</summary>
public sealed class SqlProcessRecorder : SqlApplicationRecorder, IProcessRecorder
{
    internal SqlProcessRecorder(SqlDatastore datastore)
        : base(datastore)
    {
    }

    /// <remarks>One transaction: tracking rows, then the view changes, then the events.</remarks>
    public async Task<IReadOnlyList<long>> InsertAsync(RecordingBatch batch, CancellationToken cancellationToken = default)
    {
        StoredEventBatch.ThrowIfInvalid(batch);
        if (StoredEventBatch.IsEmpty(batch))
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);
        return await Datastore.WriteAsync(
            async (writer, ct) =>
            {
                await writer.InsertTrackingAsync(batch.Tracking, ct);
                if (batch.ViewChanges.Count > 0)
                {
                    await writer.ApplyAsync(batch.ViewChanges, ct);
                }

                await writer.InsertEventsAsync(Datastore.Sql.Events, batch.Events, ct);
            },
            cancellationToken);
    }

    /// <remarks>
    /// The read gets a connection and no transaction, and takes no lock where the database lets reads run beside the
    /// writer (PostgreSQL, SQLite files in WAL mode): each statement sees what was committed when it started. An SQLite
    /// in-memory database has only the writer's connection, so there the read holds the writer's lock while it runs.
    /// </remarks>
    public async Task<T> ReadViewAsync<T>(Func<IRecorderTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.ReadViewAsync((connection, ct) => read(new SqlRecorderTransaction(Datastore.Backend, connection, null), ct), cancellationToken);
    }

    public async Task<long> MaxTrackingIdAsync(string applicationName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        await EnsureTablesAsync(cancellationToken);
        var max = await Datastore.ScalarAsync(
            Datastore.Sql.MaxTrackingId,
            command => Datastore.AddParameter(command, "application", applicationName),
            cancellationToken);
        return (long)max!;
    }

    public async Task<bool> HasTrackingIdAsync(string applicationName, long notificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        await EnsureTablesAsync(cancellationToken);
        var exists = await Datastore.ScalarAsync(
            Datastore.Sql.HasTrackingId,
            command =>
            {
                Datastore.AddParameter(command, "application", applicationName);
                Datastore.AddParameter(command, "id", notificationId);
            },
            cancellationToken);

        // SQLite answers 0 or 1, PostgreSQL a boolean.
        return Convert.ToBoolean(exists, CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<long>> SelectTrackingIdsAsync(string applicationName, long start, long stop, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        if (limit <= 0 || start > stop)
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);
        return await Datastore.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = SqlDatastore.Command(connection, Datastore.Sql.SelectTrackingIds);
                Datastore.AddParameter(command, "application", applicationName);
                Datastore.AddParameter(command, "start", start);
                Datastore.AddParameter(command, "stop", stop);
                Datastore.AddParameter(command, "limit", limit);
                var ids = new List<long>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(reader.GetInt64(0));
                }

                return (IReadOnlyList<long>)ids;
            },
            cancellationToken);
    }

    public async Task<Guid?> GetLeaderLogIdAsync(string leaderName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaderName);
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.UsingTableAsync(
            Datastore.Sql.LeaderLogsTable,
            $"The log id of {leaderName} could not be read from",
            () => Datastore.ReadAsync(
                async (connection, ct) =>
                {
                    await using var command = SqlDatastore.Command(connection, Datastore.Sql.SelectLeaderLogId);
                    Datastore.AddParameter(command, "application", leaderName);
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    return await reader.ReadAsync(ct) ? reader.GetGuid(0) : (Guid?)null;
                },
                cancellationToken));
    }

    /// <remarks>
    /// One write transaction: the delete, whose row count is returned, then the upsert of the log id; so a failure of
    /// the upsert (its table missing, say) also takes back the delete.
    /// </remarks>
    public async Task<long> AcceptLeaderLogAsync(string leaderName, Guid logId, long keepTrackingUpTo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaderName);
        ArgumentOutOfRangeException.ThrowIfNegative(keepTrackingUpTo);
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.UsingTableAsync(
            Datastore.Sql.LeaderLogsTable,
            $"The log id of {leaderName} could not be recorded in",
            () => Datastore.TransactAsync(
                async (transaction, ct) =>
                {
                    long deleted;
                    await using (var delete = transaction.Command(Datastore.Sql.DeleteTrackingAbove))
                    {
                        Datastore.AddParameter(delete, "application", leaderName);
                        Datastore.AddParameter(delete, "id", keepTrackingUpTo);
                        deleted = await delete.ExecuteNonQueryAsync(ct);
                    }

                    await using var upsert = transaction.Command(Datastore.Sql.UpsertLeaderLog);
                    Datastore.AddParameter(upsert, "application", leaderName);
                    Datastore.AddParameter(upsert, "log", logId);
                    await upsert.ExecuteNonQueryAsync(ct);
                    return deleted;
                },
                cancellationToken));
    }

    private protected override async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        await base.EnsureTablesAsync(cancellationToken);
        await Datastore.EnsureTableAsync(Datastore.Sql.TrackingTable, Datastore.Sql.CreateTrackingTable, cancellationToken);
    }
}
