using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Sqlite;

/// <summary>
/// Events numbered in one notification log (<c>stored_events.notification_id</c>). Writers commit one at a
/// time, so ids become visible in increasing order.
/// </summary>
public class SqliteApplicationRecorder : SqliteAggregateRecorder, IApplicationRecorder
{
    internal SqliteApplicationRecorder(SqliteDatastore datastore)
        : base(datastore, SqliteSql.EventsTable, SqliteSql.CreateApplicationTable(SqliteSql.EventsTable))
    {
    }

    public async Task<IReadOnlyList<Notification>> SelectNotificationsAsync(
        long start,
        int limit,
        long? stop = null,
        IReadOnlyCollection<string>? topics = null,
        CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await EnsureTablesAsync(cancellationToken);
        var hasTopics = topics is { Count: > 0 };
        var sql = SqliteSql.SelectNotifications(Table, stop is not null, hasTopics);
        return await Datastore.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = SqliteDatastore.Command(connection, null, sql);
                command.Parameters.AddWithValue("$start", start);
                command.Parameters.AddWithValue("$limit", limit);
                if (stop is { } s)
                {
                    command.Parameters.AddWithValue("$stop", s);
                }

                if (hasTopics)
                {
                    command.Parameters.AddWithValue("$topics", JsonSerializer.Serialize(topics));
                }

                var notifications = new List<Notification>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    notifications.Add(new Notification(
                        reader.GetInt64(0),
                        Guid.Parse(reader.GetString(1)),
                        reader.GetInt32(2),
                        reader.GetString(3),
                        (byte[])reader.GetValue(4)));
                }

                return (IReadOnlyList<Notification>)notifications;
            },
            cancellationToken);
    }

    public async Task<long> MaxNotificationIdAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.ReadAsync(
            async (connection, ct) =>
            {
                await using var command = SqliteDatastore.Command(connection, null, SqliteSql.MaxNotificationId(Table));
                return await command.ExecuteScalarAsync(ct) is long max ? max : 0L;
            },
            cancellationToken);
    }

    private protected override async Task<IReadOnlyList<long>> InsertRowsAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        IReadOnlyList<StoredEvent> events,
        CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        var ids = new long[events.Count];
        await using var command = InsertCommand(connection, transaction, returnId: true);
        for (var i = 0; i < events.Count; i++)
        {
            SetEvent(command, events[i]);
            ids[i] = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return ids;
    }
}
