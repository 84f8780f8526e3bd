using EventSourcing.Sqlite;
using EventSourcing.Testing.Persistence.Sqlite;
using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence.Sqlite;

/// <summary>How each form of <c>SQLITE_DBNAME</c> behaves: WAL and synchronous for files, lifetime of in-memory databases.</summary>
public sealed class StorageSqliteTests : IAsyncLifetime
{
    private readonly SqliteTestModules _modules = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _modules.DisposeAsync().AsTask();

    [Theory]
    [InlineData(null, 2)]
    [InlineData(SqliteSynchronous.Normal, 1)]
    [InlineData(SqliteSynchronous.Extra, 3)]
    public async Task A_file_database_is_written_in_wal_mode_at_the_configured_synchronous_level(SqliteSynchronous? synchronous, long expected)
    {
        var options = new SqliteOptions(_modules.Directory.File("nested/dir/app.db"));
        var recorder = Module(synchronous is { } level ? options with { Synchronous = level } : options).CreateProcessRecorder();
        var pragmas = new ReadPragmas();

        await recorder.InsertAsync(new RecordingBatch([Event(Guid.NewGuid(), 1)], [], [pragmas]));

        Assert.Equal("wal", pragmas.JournalMode);
        Assert.Equal(expected, pragmas.Synchronous);
        Assert.True(File.Exists(_modules.Directory.File("nested/dir/app.db")));
    }

    [Fact]
    public async Task Each_memory_database_is_private_to_its_module()
    {
        var first = Module(new SqliteOptions(":memory:")).CreateApplicationRecorder();
        var second = Module(new SqliteOptions(":memory:")).CreateApplicationRecorder();

        await first.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);

        Assert.Equal(1, await first.MaxNotificationIdAsync());
        Assert.Equal(0, await second.MaxNotificationIdAsync());
    }

    [Fact]
    public async Task A_named_shared_memory_database_is_shared_in_the_process_while_a_module_keeps_it_open()
    {
        var name = $"file:shared-{Guid.NewGuid():N}?mode=memory&cache=shared";
        var first = Module(new SqliteOptions(name));
        await first.CreateApplicationRecorder().InsertEventsAsync([Event(Guid.NewGuid(), 1)]);

        var second = Module(new SqliteOptions(name));
        Assert.Equal(1, await second.CreateApplicationRecorder().MaxNotificationIdAsync());

        await first.DisposeAsync();
        await second.DisposeAsync();
        var third = Module(new SqliteOptions(name));
        Assert.Equal(0, await third.CreateApplicationRecorder().MaxNotificationIdAsync());
    }

    [Fact]
    public async Task A_file_database_keeps_its_events_after_the_module_is_closed()
    {
        var path = _modules.Directory.File("app.db");
        var id = Guid.NewGuid();
        await using (var module = new SqlitePersistenceModule(new SqliteOptions(path), "Tests"))
        {
            await module.CreateApplicationRecorder().InsertEventsAsync(Events(id, 1, 3));
        }

        var reopened = Module(new SqliteOptions(path)).CreateApplicationRecorder();

        Assert.Equal(3, (await reopened.SelectEventsAsync(id)).Count);
        Assert.Equal(4, (await reopened.InsertEventsAsync([Event(id, 4)]))[0]);
    }

    [Fact]
    public async Task Without_table_creation_a_missing_table_is_a_programming_error()
    {
        var recorder = Module(new SqliteOptions(_modules.Directory.File("app.db")) { CreateTables = false }).CreateApplicationRecorder();

        var error = await Assert.ThrowsAsync<ProgrammingException>(() => recorder.MaxNotificationIdAsync());

        // The log identity is read (and its owner checked) before anything else.
        Assert.Contains("no such table: log_identity", error.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE_TABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_database_whose_directory_cannot_be_made_is_an_operational_error_naming_it()
    {
        // A directory under a file cannot be made, even by root.
        var file = _modules.Directory.File("a-file");
        await File.WriteAllTextAsync(file, "not a directory");
        var path = Path.Combine(file, "sub", "app.db");
        var recorder = Module(new SqliteOptions(path)).CreateApplicationRecorder();

        var error = await Assert.ThrowsAsync<OperationalException>(() => recorder.MaxNotificationIdAsync());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be made", error.Message, StringComparison.Ordinal);
    }

    private SqlitePersistenceModule Module(SqliteOptions options) => _modules.Create(options);

    private sealed class ReadPragmas : IViewChange
    {
        public string? JournalMode { get; private set; }

        public long Synchronous { get; private set; }

        public async Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction.Transaction;
            command.CommandText = "PRAGMA journal_mode";
            JournalMode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            command.CommandText = "PRAGMA synchronous";
            Synchronous = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
    }
}
