using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.Postgres;

public partial class PostgresApplicationRecorder
{
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
        var sql = Datastore.Sql.SelectNotifications(stop is not null, hasTopics);
        return await Datastore.RunAsync(
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = start });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
                if (stop is { } s)
                {
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = s });
                }

                if (hasTopics)
                {
                    command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. topics!], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                }

                var notifications = new List<Notification>(Math.Min(limit, 1000));
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    notifications.Add(new Notification(
                        reader.GetInt64(0),
                        reader.GetGuid(1),
                        reader.GetInt32(2),
                        reader.GetString(3),
                        reader.GetFieldValue<byte[]>(4)));
                }

                return (IReadOnlyList<Notification>)notifications;
            },
            cancellationToken);
    }

    public async Task<long> MaxNotificationIdAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await Datastore.RunAsync(
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(Datastore.Sql.MaxNotificationId, connection);
                return (long)(await command.ExecuteScalarAsync(ct))!;
            },
            cancellationToken);
    }
}
