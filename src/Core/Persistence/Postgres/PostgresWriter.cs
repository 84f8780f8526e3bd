using EventSourcing.Sql;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcing.Postgres;

/// <summary>
/// A write on one pooled connection. Statements are held back and sent as one <see cref="NpgsqlBatch"/> at commit, so
/// a save is one round trip in the batch's implicit transaction. Only when the write must run something between round
/// trips (view changes, other work on the connection, DDL) does it open an explicit transaction, and send what it
/// holds before that runs; then the session is reset before the connection goes back to the pool.
/// </summary>
internal sealed class PostgresWriter(NpgsqlConnection connection, NpgsqlDataSource dataSource, PostgresSql sql, string? setLockTimeout, Action<long> announce) : SqlWriter
{
    private readonly List<long> _ids = [];
    private NpgsqlTransaction? _transaction;
    private NpgsqlBatch? _pending;
    private bool _lockTimeoutSet;
    private bool _sessionHandedOut;
    private bool _notify;

    public override async Task ExecuteAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        await BeginTransactionAsync(cancellationToken);
        foreach (var statement in statements)
        {
            Add(new NpgsqlBatchCommand(statement));
        }
    }

    public override Task InsertTrackingAsync(IReadOnlyList<Tracking> tracking, CancellationToken cancellationToken)
    {
        if (tracking.Count == 0)
        {
            return Task.CompletedTask;
        }

        var insert = new NpgsqlBatchCommand(sql.InsertTracking);
        insert.Parameters.Add(new NpgsqlParameter<string[]>
        {
            TypedValue = [.. tracking.Select(t => t.ApplicationName)],
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        insert.Parameters.Add(new NpgsqlParameter<long[]>
        {
            TypedValue = [.. tracking.Select(t => t.NotificationId)],
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint,
        });
        AddLocking(insert);
        return Task.CompletedTask;
    }

    public override async Task RunAsync(Func<SqlRecorderTransaction, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await BeginTransactionAsync(cancellationToken);
        await SendAsync(cancellationToken);
        _sessionHandedOut = true;
        await work(new SqlRecorderTransaction(PostgresDatastore.BackendName, connection, _transaction), cancellationToken);
    }

    private protected override Task InsertEventsCoreAsync(SqlEventTable table, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        var insert = new NpgsqlBatchCommand(PostgresSql.InsertEvents(table));
        AddEventParameters(insert.Parameters, events);
        if (table.NumbersRows)
        {
            if (!_notify)
            {
                AddLocking(new NpgsqlBatchCommand(sql.LockEvents));
                _notify = true;
            }

            AddLocking(insert);
        }
        else
        {
            Add(insert);
        }

        return Task.CompletedTask;
    }

    /// <remarks>
    /// Listeners are notified once the write has committed, not by this connection: the commit's greatest id goes to
    /// the datastore's announcer (<see cref="PostgresDatastore.Announce"/>).
    /// </remarks>
    public override async Task<IReadOnlyList<long>> CommitAsync(CancellationToken cancellationToken)
    {
        await SendAsync(cancellationToken);
        if (_transaction is not null)
        {
            await _transaction.CommitAsync(cancellationToken);
        }

        // Rows are numbered in the order they are inserted; RETURNING's order is not promised, so sort.
        _ids.Sort();
        if (_notify && _ids.Count > 0)
        {
            announce(_ids[^1]);
        }

        return _ids;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_pending is not null)
        {
            await _pending.DisposeAsync();
        }

        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        if (_sessionHandedOut)
        {
            // Work given the connection (a view change's SQL) may have left settings in the session.
            await PostgresDatastore.ResetSessionAsync(connection, dataSource);
        }

        await connection.DisposeAsync();
    }

    private async Task BeginTransactionAsync(CancellationToken cancellationToken)
        => _transaction ??= await connection.BeginTransactionAsync(cancellationToken);

    private void Add(NpgsqlBatchCommand command)
    {
        _pending ??= new NpgsqlBatch(connection);
        _pending.BatchCommands.Add(command);
    }

    /// <summary>Adds a statement that waits for locks, preceded once per transaction by the lock timeout.</summary>
    private void AddLocking(NpgsqlBatchCommand command)
    {
        if (setLockTimeout is not null && !_lockTimeoutSet)
        {
            Add(new NpgsqlBatchCommand(setLockTimeout));
            _lockTimeoutSet = true;
        }

        Add(command);
    }

    /// <summary>Sends the held statements in one round trip and keeps the notification ids they return.</summary>
    private async Task SendAsync(CancellationToken cancellationToken)
    {
        if (_pending is null)
        {
            return;
        }

        await using var batch = _pending;
        _pending = null;
        batch.Transaction = _transaction;
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            if (reader.FieldCount == 1 && reader.GetName(0) == "notification_id")
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    _ids.Add(reader.GetInt64(0));
                }
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
    }

    /// <summary>The events as five arrays, for <see cref="PostgresSql.InsertEvents"/>.</summary>
    private static void AddEventParameters(NpgsqlParameterCollection parameters, IReadOnlyList<StoredEvent> events)
    {
        var ids = new Guid[events.Count];
        var versions = new int[events.Count];
        var topics = new string[events.Count];
        var states = new byte[events.Count][];
        var metadata = new byte[]?[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            ids[i] = e.OriginatorId;
            versions[i] = e.OriginatorVersion;
            topics[i] = e.Topic;
            states[i] = e.State;
            metadata[i] = e.Metadata;
        }

        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = topics, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = states, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        parameters.Add(new NpgsqlParameter<byte[]?[]> { TypedValue = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
    }
}
