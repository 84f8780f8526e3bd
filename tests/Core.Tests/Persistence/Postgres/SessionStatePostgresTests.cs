using EventSourcing.Postgres;
using EventSourcing.Testing.Persistence.Postgres;
using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence.Postgres;

/// <summary>
/// Pooled connections go back to the pool without Npgsql's reset, so the library resets a session itself after code it
/// hands a connection to: what a view change, a view read or listening for commits leaves in a session does not reach
/// whatever uses the connection next. Each test's pool holds one connection, so the next use gets the same session.
/// </summary>
public sealed class SessionStatePostgresTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly PostgresTestModules _modules = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _modules.DisposeAsync().AsTask();

    [Fact]
    public async Task A_setting_a_view_change_makes_does_not_outlive_its_write()
    {
        var recorder = OneConnection().CreateProcessRecorder();

        await recorder.InsertAsync(new RecordingBatch([Event(Guid.NewGuid(), 1)], [new Tracking("upstream", 1)], [new Run("SET application_name = 'left behind'")]));

        Assert.Equal("eventsourcing", await ApplicationNameAsync(recorder));
        Assert.Single(await recorder.InsertAsync(new RecordingBatch([Event(Guid.NewGuid(), 1)], [new Tracking("upstream", 2)], [])));
    }

    [Fact]
    public async Task A_setting_a_view_read_makes_does_not_outlive_the_read()
    {
        var recorder = OneConnection().CreateProcessRecorder();

        await recorder.ReadViewAsync((transaction, ct) => new Run("SET application_name = 'left behind'").ApplyAsync(transaction, ct).ContinueWith(_ => 0, ct));

        Assert.Equal("eventsourcing", await ApplicationNameAsync(recorder));
    }

    [Theory]
    [InlineData("a transaction left open", "BEGIN")]
    [InlineData("a transaction that failed", "BEGIN; SELECT 1/0")]
    [InlineData("a reader left open", "SELECT 1 FROM generate_series(1, 10000)")]
    public async Task A_view_read_leaves_nothing_behind_whatever_state_it_leaves_the_connection_in(string state, string sql)
    {
        var recorder = OneConnection().CreateProcessRecorder();

        await recorder.ReadViewAsync(async (transaction, ct) =>
        {
            await new Run("SET application_name = 'left behind'").ApplyAsync(transaction, ct);
            var command = transaction.Connection!.CreateCommand();
            command.CommandText = sql;
            try
            {
                // Not disposed, and a reader not read to its end: as careless code leaves them.
                _ = await command.ExecuteReaderAsync(ct);
            }
            catch (Npgsql.PostgresException)
            {
                // The failed transaction stays.
            }

            return 0;
        });

        Assert.True(await ApplicationNameAsync(recorder) == "eventsourcing", $"a view read's setting outlived {state}");
    }

    [Fact]
    public async Task A_view_change_that_leaves_a_reader_open_leaves_nothing_behind()
    {
        var recorder = OneConnection().CreateProcessRecorder();

        try
        {
            await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 1)], [new Run("SET application_name = 'left behind'"), new LeaveReaderOpen()]));
        }
        catch (EventSourcingException)
        {
            // Whether the write commits is not the point here.
        }

        var setting = new ReadSetting();
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 2)], [setting]));
        Assert.Equal("eventsourcing", setting.Value);
    }

    [Fact]
    public async Task A_connection_that_listened_for_commits_listens_no_more_back_in_the_pool()
    {
        var recorder = OneConnection().CreateProcessRecorder();
        await recorder.InsertAsync(new RecordingBatch([Event(Guid.NewGuid(), 1)], [], []));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        var watching = ((ICommitWatcher)recorder).WatchCommitsAsync(
            (_, _) =>
            {
                listening.TrySetResult();
                return Task.CompletedTask;
            },
            stop.Token);
        await listening.Task.WaitAsync(Deadline);
        await using (var look = await PostgresTestServer.OpenAsync())
        await using (var listeners = new Npgsql.NpgsqlCommand($"SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %{_modules.Schema}%'", look))
        {
            Assert.Equal(1L, await listeners.ExecuteScalarAsync());
        }

        await stop.CancelAsync();
        await watching.WaitAsync(Deadline);

        Assert.Equal(0L, (long?)await ScalarAsync(recorder, "SELECT COUNT(*) FROM pg_listening_channels()"));
    }

    /// <summary>A module whose pool has one connection, so that every use after the first gets the same session.</summary>
    private PostgresPersistenceModule OneConnection()
        => _modules.Create(PostgresTestServer.Options(_modules.Schema, new Dictionary<string, string> { ["POSTGRES_POOL_SIZE"] = "1" }));

    private static async Task<string?> ApplicationNameAsync(IProcessRecorder recorder)
        => (string?)await ScalarAsync(recorder, "SELECT current_setting('application_name')");

    /// <summary>A view change that opens a reader and leaves it open.</summary>
    private sealed class LeaveReaderOpen : IViewChange
    {
        public async Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken)
        {
            var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction.Transaction;
            command.CommandText = "SELECT 1 FROM generate_series(1, 10000)";
            _ = await command.ExecuteReaderAsync(cancellationToken);
        }
    }

    /// <summary>A view change that reads the session's application name.</summary>
    private sealed class ReadSetting : IViewChange
    {
        public string? Value { get; private set; }

        public async Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction.Transaction;
            command.CommandText = "SELECT current_setting('application_name')";
            Value = (string?)await command.ExecuteScalarAsync(cancellationToken);
        }
    }

    /// <summary>A view change that runs one statement in the write's transaction.</summary>
    private sealed class Run(string sql) : IViewChange
    {
        public async Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction.Transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
