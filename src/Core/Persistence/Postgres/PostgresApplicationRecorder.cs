using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.Postgres;

/// <summary>
/// Events numbered in one notification log (<c>{name}_events.notification_id</c>). A save is one round trip:
/// the per-table advisory lock and the insert go as one batch in one transaction, so writers commit in the
/// order their ids were drawn and readers see ids appear in increasing order.
/// </summary>
public partial class PostgresApplicationRecorder : PostgresAggregateRecorder, IApplicationRecorder
{
    internal PostgresApplicationRecorder(PostgresDatastore datastore)
        : base(datastore, datastore.Sql.EventsTable, withNotificationIds: true)
    {
    }

    private protected override Task<IReadOnlyList<long>> InsertEventRowsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
        => Datastore.RunAsync((connection, ct) => WriteAsync(connection, null, [], events, ct), cancellationToken);

    /// <summary>
    /// Inserts tracking rows and events in one batch (one round trip), inside <paramref name="transaction"/>
    /// or else in the batch's own implicit transaction. Returns the events' notification ids.
    /// </summary>
    private protected async Task<IReadOnlyList<long>> WriteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        IReadOnlyList<Tracking> tracking,
        IReadOnlyList<StoredEvent> events,
        CancellationToken cancellationToken)
    {
        if (tracking.Count == 0 && events.Count == 0)
        {
            return [];
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        if (Datastore.LockTimeoutSql is { } setLockTimeout)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setLockTimeout));
        }

        if (tracking.Count > 0)
        {
            var insertTracking = new NpgsqlBatchCommand(Datastore.Sql.InsertTracking);
            insertTracking.Parameters.Add(new NpgsqlParameter<string[]>
            {
                TypedValue = tracking.Select(t => t.ApplicationName).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            });
            insertTracking.Parameters.Add(new NpgsqlParameter<long[]>
            {
                TypedValue = tracking.Select(t => t.NotificationId).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            });
            batch.BatchCommands.Add(insertTracking);
        }

        if (events.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Datastore.Sql.LockEvents));
            var insertEvents = new NpgsqlBatchCommand(PostgresSql.InsertEvents(QualifiedTable, returnIds: true));
            AddEventParameters(insertEvents.Parameters, events);
            batch.BatchCommands.Add(insertEvents);
        }

        var ids = new List<long>(events.Count);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                if (reader.FieldCount == 1 && reader.GetName(0) == "notification_id")
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        ids.Add(reader.GetInt64(0));
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        // Rows are numbered in the order they are inserted; RETURNING's order is not promised, so sort.
        ids.Sort();
        return ids;
    }
}
