using EventSourcing.Sql;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.Postgres;

/// <summary>Events (or snapshots) of aggregates in a PostgreSQL table keyed by (originator id, version).</summary>
public class PostgresAggregateRecorder : SqlAggregateRecorder
{
    private readonly bool _withNotificationIds;

    internal PostgresAggregateRecorder(PostgresDatastore datastore, string table, bool withNotificationIds = false)
        : base(table)
    {
        ArgumentNullException.ThrowIfNull(datastore);
        Datastore = datastore;
        QualifiedTable = datastore.Sql.Qualified(table);
        _withNotificationIds = withNotificationIds;
    }

    private protected string QualifiedTable { get; }

    private protected PostgresDatastore Datastore { get; }

    private protected override Task EnsureTablesAsync(CancellationToken cancellationToken)
        => Datastore.EnsureTableAsync(Table, () => Datastore.Sql.CreateTables(Table, _withNotificationIds), cancellationToken);

    private protected override Task<IReadOnlyList<long>> InsertEventRowsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
        => Datastore.RunAsync(
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(PostgresSql.InsertEvents(QualifiedTable, returnIds: false), connection);
                AddEventParameters(command.Parameters, events);
                await command.ExecuteNonQueryAsync(ct);
                return (IReadOnlyList<long>)[];
            },
            cancellationToken);

    private protected override Task<IReadOnlyList<StoredEvent>> SelectEventRowsAsync(
        Guid originatorId,
        int? gt,
        int? lte,
        bool desc,
        int? limit,
        CancellationToken cancellationToken)
    {
        var sql = PostgresSql.SelectEvents(QualifiedTable, gt is not null, lte is not null, desc, limit is not null);
        return Datastore.RunAsync(
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = originatorId });
                foreach (var value in new[] { gt, lte, limit })
                {
                    if (value is { } v)
                    {
                        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = v });
                    }
                }

                var events = new List<StoredEvent>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    events.Add(new StoredEvent(originatorId, reader.GetInt32(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
                }

                return (IReadOnlyList<StoredEvent>)events;
            },
            cancellationToken);
    }

    /// <summary>The events as four arrays, for <c>unnest($1::uuid[], $2::integer[], $3::text[], $4::bytea[])</c>.</summary>
    private protected static void AddEventParameters(NpgsqlParameterCollection parameters, IReadOnlyList<StoredEvent> events)
    {
        var ids = new Guid[events.Count];
        var versions = new int[events.Count];
        var topics = new string[events.Count];
        var states = new byte[events.Count][];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            ids[i] = e.OriginatorId;
            versions[i] = e.OriginatorVersion;
            topics[i] = e.Topic;
            states[i] = e.State;
        }

        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = topics, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = states, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
    }
}
