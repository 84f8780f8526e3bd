using System.Data.Common;
using System.Globalization;

namespace EventSourcing.Sql;

/// <summary>
/// One application's tables in one SQL database: what the shared recorders are written over. A backend supplies the
/// dialect: its statements (<see cref="Sql"/>), how values become parameters (<see cref="AddParameter{T}"/>), where a
/// read runs and what a write transaction is (<see cref="OnConnectionAsync{T}"/>, <see cref="BeginWriteAsync"/>),
/// and which of its driver's errors mean what (<see cref="Translate"/>). Every database call goes through
/// <see cref="ReadAsync{T}"/> or <see cref="WriteAsync"/>, which translate those errors.
/// </summary>
internal abstract partial class SqlDatastore : IAsyncDisposable
{
    private readonly CreatedTables _createdTables = new();

    private protected SqlDatastore(bool createTables, string applicationName)
    {
        ArgumentException.ThrowIfNullOrEmpty(applicationName);
        CreateTables = createTables;
        ApplicationName = applicationName;
        LogIdentity = new SqlLogIdentity(this);
    }

    /// <summary>The backend's name, as <see cref="IRecorderTransaction.Backend"/> gives it.</summary>
    public abstract string Backend { get; }

    public abstract SqlStatements Sql { get; }

    /// <summary>Create missing tables on first use (<c>CREATE_TABLE</c>).</summary>
    public bool CreateTables { get; }

    /// <summary>The application whose tables these are: the log identity records it, and another one is refused.</summary>
    public string ApplicationName { get; }

    /// <summary>The log's identity and owner, which every recorder of this datastore checks before its first use.</summary>
    public SqlLogIdentity LogIdentity { get; }

    /// <summary>Runs <paramref name="statements"/> once for <paramref name="table"/>, in one write transaction, unless <see cref="CreateTables"/> is off.</summary>
    public Task EnsureTableAsync(string table, Func<IReadOnlyList<string>> statements, CancellationToken cancellationToken)
        => EnsureTableAsync(table, (writer, ct) => writer.ExecuteAsync(statements(), ct), cancellationToken);

    /// <summary>
    /// Creates <paramref name="table"/> as <see cref="EnsureTableAsync(string, Func{IReadOnlyList{string}}, CancellationToken)"/>
    /// does; a table made by an earlier version gets the <c>metadata</c> column, and the events table brings the log
    /// identity table, given the owner's column when it was made by an earlier version.
    /// </summary>
    public Task EnsureTableAsync(SqlEventTable table, CancellationToken cancellationToken)
        => EnsureTableAsync(
            table.Name,
            async (writer, ct) =>
            {
                await writer.ExecuteAsync(Sql.CreateTable(table), ct);
                await writer.RunAsync((transaction, ct) => AddMetadataColumnIfMissingAsync(transaction, table, ct), ct);
                if (table.NumbersRows)
                {
                    await writer.RunAsync(LogIdentity.AddOwnerColumnIfMissingAsync, ct);
                }
            },
            cancellationToken);

    /// <summary>Gives a table of an earlier version the <c>metadata</c> column; runs in the table's DDL transaction.</summary>
    private async Task AddMetadataColumnIfMissingAsync(SqlRecorderTransaction transaction, SqlEventTable table, CancellationToken cancellationToken)
    {
        await using var count = transaction.Command(Sql.CountMetadataColumn(table));
        if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            await using var add = transaction.Command(Sql.AddMetadataColumn(table));
            await add.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The error for a recorder of this application on tables that <paramref name="owner"/> uses, naming the setting to change.</summary>
    public abstract ConfigurationException BelongsToAnother(string owner);

    /// <summary>Runs <paramref name="read"/> on a connection that sees committed state, outside any transaction.</summary>
    public Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        => ReadAsync(read, ownCode: true, cancellationToken);

    /// <summary>
    /// Runs a view's <paramref name="read"/>, code from outside the library, as <see cref="ReadAsync{T}(Func{DbConnection, CancellationToken, Task{T}}, CancellationToken)"/>
    /// does, on a connection the backend chooses for such code (see <see cref="OnConnectionAsync{T}"/>).
    /// </summary>
    public Task<T> ReadViewAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        => ReadAsync(read, ownCode: false, cancellationToken);

    private async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, bool ownCode, CancellationToken cancellationToken)
    {
        try
        {
            return await OnConnectionAsync(read, ownCode, cancellationToken);
        }
        catch (Exception ex) when (Translate(ex) is { } translated)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw translated;
        }
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (<see cref="SqlStatements.SelectNotifications"/>) on <paramref name="connection"/>
    /// with the parameters of <paramref name="query"/>, and reads its notifications. A backend may read them its own way.
    /// </summary>
    public virtual async Task<IReadOnlyList<Notification>> SelectNotificationsAsync(DbConnection connection, string sql, NotificationQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        AddParameter(command, "start", query.Start);
        AddParameter(command, "limit", query.Limit);
        if (query.Stop is { } stop)
        {
            AddParameter(command, "stop", stop);
        }

        if (query.Topics is { } topics)
        {
            AddParameter(command, "topics", topics);
        }

        var notifications = new List<Notification>(Math.Min(query.Limit, 1000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            Guid originatorId;
            try
            {
                originatorId = reader.GetGuid(1);
            }
            catch (FormatException)
            {
                throw NotAUuid(id, reader.GetValue(1) is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture));
            }

            notifications.Add(new Notification(
                id,
                originatorId,
                reader.GetInt32(2),
                reader.GetString(3),
                reader.GetFieldValue<byte[]>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<byte[]>(5)));
        }

        return notifications;
    }

    /// <summary>The error for a stored notification whose originator id is not a UUID, naming both.</summary>
    public static DecodingException NotAUuid(long id, string? originatorId)
        => new($"Notification {id} has originator id '{originatorId}', which is not a UUID");

    /// <summary>
    /// Fills one write transaction and commits it; returns the notification ids of the inserted events. Any exception
    /// writes nothing. Writes that arrive while another commits are committed together (see
    /// <see cref="WriteTogetherAsync"/>), each still whole or not at all.
    /// </summary>
    public Task<IReadOnlyList<long>> WriteAsync(Func<SqlWriter, CancellationToken, Task> fill, CancellationToken cancellationToken)
        => WriteTogetherAsync(fill, cancellationToken);

    /// <summary>Fills one write transaction of its own and commits it, translating the driver's errors.</summary>
    private async Task<IReadOnlyList<long>> WriteAloneAsync(Func<SqlWriter, CancellationToken, Task> fill, CancellationToken cancellationToken)
    {
        try
        {
            await using var writer = await BeginWriteAsync(cancellationToken);
            await fill(writer, cancellationToken);
            return await writer.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (Translate(ex) is { } translated)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw translated;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction and commits it; returns what the work returned.</summary>
    public async Task<T> TransactAsync<T>(Func<SqlRecorderTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        T result = default!;
        await WriteAsync((writer, ct) => writer.RunAsync(async (transaction, ct) => result = await work(transaction, ct), ct), cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/>, which uses <paramref name="table"/>. A <see cref="ProgrammingException"/> (most
    /// likely the table is missing) is raised again as "<paramref name="failed"/> the table ...", saying that with
    /// <c>CREATE_TABLE=false</c> the table must be created beforehand when that is so.
    /// </summary>
    public async Task<T> UsingTableAsync<T>(string table, string failed, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (ProgrammingException ex)
        {
            var notCreated = CreateTables ? string.Empty : " (with CREATE_TABLE=false it must be created beforehand)";
            throw new ProgrammingException($"{failed} the table {table}{notCreated}: {ex.Message}", ex);
        }
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, with the parameters <paramref name="bind"/> adds.</summary>
    public Task<object?> ScalarAsync(string sql, Action<DbCommand>? bind, CancellationToken cancellationToken)
        => ReadAsync(
            async (connection, ct) =>
            {
                await using var command = Command(connection, sql);
                bind?.Invoke(command);
                return await command.ExecuteScalarAsync(ct);
            },
            cancellationToken);

    /// <summary>A command for <paramref name="sql"/> on <paramref name="connection"/>: the one it keeps prepared, if it keeps commands.</summary>
    public static DbCommand Command(DbConnection connection, string sql)
    {
        if (connection is IKeptCommands kept && kept.Command(sql) is { } prepared)
        {
            return prepared;
        }

        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds the parameter <paramref name="name"/> (as <see cref="SqlStatements"/> names it) in the backend's types.</summary>
    public abstract void AddParameter<T>(DbCommand command, string name, T value);

    public abstract ValueTask DisposeAsync();

    private Task EnsureTableAsync(string table, Func<SqlWriter, CancellationToken, Task> create, CancellationToken cancellationToken)
        => CreateTables ? _createdTables.EnsureAsync(table, ct => WriteAsync(create, ct), cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Runs <paramref name="work"/> on a connection; errors are translated by the caller. <paramref name="ownCode"/> is
    /// false for code from outside the library (a view's read), which may leave anything in the session: PostgreSQL
    /// takes such a connection from a pool that resets each session before it serves again; SQLite opens a connection
    /// for it and closes it afterwards (a file database; in memory there is only the one connection).
    /// </summary>
    private protected abstract Task<T> OnConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, bool ownCode, CancellationToken cancellationToken);

    /// <summary>Opens a write transaction; the writer holds whatever it needs (a connection, a lock) until disposed.</summary>
    private protected abstract Task<SqlWriter> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>The library's exception for a driver error, or null when <paramref name="ex"/> is not the driver's.</summary>
    private protected abstract EventSourcingException? Translate(Exception ex);
}
