using System.Text;
using EventSourcing.Sql;
using EventSourcing.Sqlite;
using EventSourcing.Testing.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence.Sqlite;

/// <summary>
/// Pages of notifications read with SQLite's C API (<see cref="SqliteNotificationRows"/>) are what Microsoft.Data.Sqlite
/// reads, and fail as it does.
/// </summary>
public sealed class NotificationRowsSqliteTests : IAsyncLifetime
{
    private const string Unicode = "tests:Hund.Kunststück✓";

    /// <summary><c>SQLITE_STMTSTATUS_REPREPARE</c> in sqlite3.h: how often a statement was compiled again.</summary>
    private const int StatementRecompiled = 5;

    private readonly SqliteTestModules _modules = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _modules.DisposeAsync().AsTask();

    [Fact]
    public async Task The_log_is_read_with_the_c_api_of_the_library_microsoft_data_sqlite_uses()
    {
        var recorder = _modules.CreateFile().CreateApplicationRecorder();
        await recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);

        Assert.Single(await recorder.SelectNotificationsAsync(1, 10));

        Assert.True(SqliteNative.Api is not null, $"SQLite's C API is not called directly: {SqliteNative.Unavailable}");
    }

    [Fact]
    public async Task Pages_read_with_the_c_api_are_those_microsoft_data_sqlite_reads()
    {
        var module = _modules.CreateFile();
        var recorder = module.CreateApplicationRecorder();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await recorder.InsertEventsAsync(
        [
            .. Events(first, 1, 5),
            Event(second, 1, Unicode, "{\"name\":\"Fido 🐕\"}"),
            new StoredEvent(second, 2, TopicB, [], Encoding.UTF8.GetBytes("{\"correlation_id\":\"c\"}")),
            new StoredEvent(first, 6, TopicB, new byte[100_000], null),
            .. Events(second, 3, 300, Unicode),
        ]);
        var datastore = Datastore(module);
        await using var direct = new SqliteKeptConnection(ConnectionString(module));
        await direct.OpenAsync();
        Assert.NotNull(direct.NotificationRows);

        foreach (var query in (NotificationQuery[])
        [
            new(1, 1_000, null, null),
            new(2, 3, null, null),
            new(5, 100, 8, null),
            new(1, 50, null, [Unicode]),
            new(1, 1_000, 200, [TopicB, "tests:Never.Recorded"]),
            new(400, 10, null, null),
        ])
        {
            var expected = await ThroughMicrosoftDataSqliteAsync(module, query);
            var actual = await datastore.SelectNotificationsAsync(direct, Sql(query), query, CancellationToken.None);

            Assert.Equal(expected.Select(Comparable), actual.Select(Comparable));
        }

        // The kept statements go with the database when the connection closes, and come again when it reopens.
        await direct.CloseAsync();
        await direct.OpenAsync();
        NotificationQuery all = new(1, 1_000, null, null);
        Assert.Equal(308, (await datastore.SelectNotificationsAsync(direct, Sql(all), all, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Kept_statements_are_compiled_once_whatever_page_sizes_are_asked()
    {
        var module = _modules.CreateFile();
        await module.CreateProcessRecorder().InsertEventsAsync(Events(Guid.NewGuid(), 1, 30));
        var datastore = Datastore(module);
        await using var connection = new SqliteKeptConnection(ConnectionString(module));
        await connection.OpenAsync();
        connection.Handle!.enable_sqlite3_next_stmt(true);

        foreach (var query in (NotificationQuery[])[new(1, 10, null, null), new(5, 20, null, null), new(1, 10, null, null), new(2, 1_000, 25, [TopicA])])
        {
            await datastore.SelectNotificationsAsync(connection, Sql(query), query, CancellationToken.None);
        }

        // A kept command of Microsoft.Data.Sqlite's, which binds every parameter on every execution.
        foreach (var limit in (int[])[10, 20, 10])
        {
            await using var command = (SqliteCommand)SqlDatastore.Command(connection, SqliteSql.Instance.SelectTrackingIds);
            command.Parameters.AddWithValue("$application", "Leader");
            command.Parameters.AddWithValue("$start", 1);
            command.Parameters.AddWithValue("$stop", 100);
            command.Parameters.AddWithValue("$limit", limit);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        var statements = 0;
        for (var statement = SQLitePCL.raw.sqlite3_next_stmt(connection.Handle, null); statement is not null;
             statement = SQLitePCL.raw.sqlite3_next_stmt(connection.Handle, statement))
        {
            statements++;
            Assert.Equal(0, SQLitePCL.raw.sqlite3_stmt_status(statement, StatementRecompiled, 0));
        }

        Assert.Equal(3, statements);
    }

    [Fact]
    public async Task A_row_whose_originator_id_is_not_a_uuid_is_an_error_naming_it_on_either_path()
    {
        var module = _modules.CreateFile();
        var recorder = module.CreateApplicationRecorder();
        await recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await InsertAsync(module, "'not-a-uuid'");

        var direct = await Assert.ThrowsAsync<DecodingException>(() => recorder.SelectNotificationsAsync(1, 10));
        var fallback = await Assert.ThrowsAsync<DecodingException>(() => ThroughMicrosoftDataSqliteAsync(module, new(1, 10, null, null)));

        foreach (var error in (DecodingException[])[direct, fallback])
        {
            Assert.Contains("Notification 2", error.Message, StringComparison.Ordinal);
            Assert.Contains("'not-a-uuid'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_originator_id_stored_as_sixteen_bytes_is_read_as_microsoft_data_sqlite_reads_it()
    {
        var module = _modules.CreateFile();
        var recorder = module.CreateApplicationRecorder();
        var id = Guid.NewGuid();
        await InsertAsync(module, $"x'{Convert.ToHexString(id.ToByteArray())}'");

        var direct = await recorder.SelectNotificationsAsync(1, 10);
        var fallback = await ThroughMicrosoftDataSqliteAsync(module, new(1, 10, null, null));

        Assert.Equal(id, Assert.Single(direct).OriginatorId);
        Assert.Equal(id, Assert.Single(fallback).OriginatorId);
    }

    [Fact]
    public async Task A_read_while_another_connection_holds_the_table_waits_out_the_lock_timeout_then_fails_as_transient()
    {
        // A database in memory shared in the process locks tables: an open write there keeps readers out.
        var name = $"file:locked-{Guid.NewGuid():N}?mode=memory&cache=shared";
        var module = _modules.Create(new SqliteOptions(name) { LockTimeout = TimeSpan.FromSeconds(1) });
        var recorder = module.CreateApplicationRecorder();
        await recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        Assert.Single(await recorder.SelectNotificationsAsync(1, 10));
        await using var holder = await HoldAsync(module, $"BEGIN IMMEDIATE; DELETE FROM {SqliteSql.EventsTableName};");

        var error = await WaitsOutTheLockThenFailsAsync(recorder);

        Assert.Contains("SQLITE_LOCK_TIMEOUT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_first_read_while_another_connection_changes_the_schema_waits_out_the_lock_timeout_then_fails_as_transient()
    {
        // The read's statement is prepared on first use; a schema change another connection has not committed keeps
        // that from happening in a database in memory shared in the process.
        var name = $"file:schema-{Guid.NewGuid():N}?mode=memory&cache=shared";
        var module = _modules.Create(new SqliteOptions(name) { LockTimeout = TimeSpan.FromSeconds(1) });
        var recorder = module.CreateApplicationRecorder();
        await recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await using var holder = await HoldAsync(module, "BEGIN IMMEDIATE; CREATE TABLE unrelated (a INTEGER);");

        await WaitsOutTheLockThenFailsAsync(recorder);
    }

    /// <summary>A connection of its own that has run <paramref name="sql"/> (a transaction it keeps open).</summary>
    private static async Task<SqliteConnection> HoldAsync(SqlitePersistenceModule module, string sql)
    {
        var holder = new SqliteConnection(ConnectionString(module));
        await holder.OpenAsync();
        await using var command = holder.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
        return holder;
    }

    /// <summary>A read that fails as transient, having waited for the lock timeout of 1 s first.</summary>
    private static async Task<OperationalException> WaitsOutTheLockThenFailsAsync(IApplicationRecorder recorder)
    {
        var started = TimeProvider.System.GetTimestamp();
        var error = await Assert.ThrowsAsync<OperationalException>(() => recorder.SelectNotificationsAsync(1, 10));

        Assert.True(error.IsTransient, error.Message);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9), "the read did not wait for the lock");
        return error;
    }

    /// <summary>The same select through Microsoft.Data.Sqlite: the datastore's default path, on a connection not its own.</summary>
    private static async Task<IReadOnlyList<Notification>> ThroughMicrosoftDataSqliteAsync(SqlitePersistenceModule module, NotificationQuery query)
    {
        await using var connection = new SqliteConnection(ConnectionString(module));
        await connection.OpenAsync();
        return await Datastore(module).SelectNotificationsAsync(connection, Sql(query), query, CancellationToken.None);
    }

    private static SqliteDatastore Datastore(SqlitePersistenceModule module) => new(module.Options, "Tests", SqlitePersistenceModule.DbNameKey);

    private static string Sql(NotificationQuery query) => SqliteSql.Instance.SelectNotifications(query.Stop is not null, query.Topics is not null);

    /// <summary>A row written around the library, with <paramref name="originatorId"/> as SQL (a string or a blob literal).</summary>
    private static async Task InsertAsync(SqlitePersistenceModule module, string originatorId)
    {
        await module.CreateApplicationRecorder().MaxNotificationIdAsync();
        await using var connection = new SqliteConnection(ConnectionString(module));
        await connection.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {SqliteSql.EventsTableName} (originator_id, originator_version, topic, state) VALUES ({originatorId}, 1, 't', x'7b7d')";
        await insert.ExecuteNonQueryAsync();
    }

    private static string ConnectionString(SqlitePersistenceModule module)
        => new SqliteConnectionStringBuilder { DataSource = module.Options.DbName, Pooling = false, DefaultTimeout = 1 }.ToString();

    private static (long, Guid, int, string, string, string?) Comparable(Notification n)
        => (n.Id, n.OriginatorId, n.OriginatorVersion, n.Topic, Convert.ToHexString(n.State), n.Metadata is null ? null : Convert.ToHexString(n.Metadata));
}
