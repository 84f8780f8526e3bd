using System.Data.Common;
using EventSourcing.Testing.Persistence.Sqlite;
using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence.Sqlite;

/// <summary>
/// A view's read is code from outside the library, handed a connection of a file database: whatever it leaves on that
/// connection (a transaction, a reader, a temporary table, an attached database) must not reach the library's own
/// reads, nor the next view read. Left on a connection that reads again, an open transaction or reader keeps every later read on its snapshot,
/// blind to what was committed since.
/// </summary>
public sealed class SessionStateSqliteFileTests : IAsyncLifetime
{
    private readonly SqliteTestModules _modules = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _modules.DisposeAsync().AsTask();

    public static TheoryData<string> LeftBehind => ["a transaction begun by SQL", "a transaction begun by the driver", "a reader left open"];

    [Theory]
    [MemberData(nameof(LeftBehind))]
    public async Task What_a_view_read_leaves_open_does_not_keep_later_reads_from_seeing_new_commits(string state)
    {
        var recorder = _modules.CreateFile().CreateProcessRecorder();
        await recorder.InsertAsync(new RecordingBatch([Event(Guid.NewGuid(), 1), Event(Guid.NewGuid(), 1)], [], []));

        await recorder.ReadViewAsync((transaction, ct) => LeaveOpenAsync(transaction.Connection!, state, ct));
        await recorder.InsertAsync(new RecordingBatch([Event(Guid.NewGuid(), 1)], [], []));

        Assert.Equal(3, await recorder.MaxNotificationIdAsync());
        Assert.Equal(3, (await recorder.SelectNotificationsAsync(1, 10)).Count);
        Assert.Equal(3L, await ScalarAsync(recorder, $"SELECT COUNT(*) FROM {EventsTable}"));
    }

    [Fact]
    public async Task A_temporary_table_or_attached_database_of_a_view_read_reaches_neither_the_library_nor_the_next_view_read()
    {
        var recorder = _modules.CreateFile().CreateProcessRecorder();
        await recorder.InsertAsync(new RecordingBatch([Event(Guid.NewGuid(), 1)], [], []));
        var other = _modules.Directory.File("other.db");

        // Unqualified names find a temporary table first: this one would hide the log from the library's reads.
        await ScalarAsync(recorder, $"CREATE TEMP TABLE {EventsTable} AS SELECT * FROM main.{EventsTable} WHERE 0");
        await ScalarAsync(recorder, $"ATTACH DATABASE '{other}' AS other");

        Assert.Equal(1, await recorder.MaxNotificationIdAsync());
        Assert.Single(await recorder.SelectNotificationsAsync(1, 10));
        Assert.Equal(0L, await ScalarAsync(recorder, "SELECT COUNT(*) FROM temp.sqlite_schema"));
        await ScalarAsync(recorder, $"ATTACH DATABASE '{other}' AS other");
    }

    private static string EventsTable => EventSourcing.Sqlite.SqliteSql.EventsTableName;

    /// <summary>Reads the log in a way that leaves <paramref name="state"/> on the connection, as careless code would.</summary>
    private static async Task<int> LeaveOpenAsync(DbConnection connection, string state, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        switch (state)
        {
            case "a transaction begun by SQL":
                command.CommandText = $"BEGIN; SELECT COUNT(*) FROM {EventsTable}";
                break;
            case "a transaction begun by the driver":
                command.Transaction = await connection.BeginTransactionAsync(cancellationToken);
                command.CommandText = $"SELECT COUNT(*) FROM {EventsTable}";
                break;
            default:
                command.CommandText = $"SELECT notification_id FROM {EventsTable}";
                break;
        }

        // Neither the reader nor the command nor the transaction is disposed, and the reader is not read to its end.
        var reader = await command.ExecuteReaderAsync(cancellationToken);
        Assert.True(await reader.ReadAsync(cancellationToken));
        return 0;
    }
}
