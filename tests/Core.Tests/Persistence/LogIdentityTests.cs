using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence;

/// <summary>
/// The log identity where it lives in a table of its own: made with the tables, made again with them, and added to
/// the tables of an earlier version; and the leaders' log ids a follower accepted, in a table of their own. One
/// subclass per SQL backend (in memory there are no tables; the recorder contracts cover it).
/// </summary>
public abstract class LogIdentityTests : IAsyncLifetime
{
    /// <summary>The log identity table's name, as the database reports it in errors.</summary>
    protected abstract string LogIdentityTable { get; }

    /// <summary>The events table's name, as <see cref="LogIdentityTable"/>.</summary>
    protected abstract string EventsTable { get; }

    /// <summary>The leader logs table's name, as <see cref="LogIdentityTable"/>.</summary>
    protected abstract string LeaderLogsTable { get; }

    /// <summary>A module of its own (as another process would open) on the test's database, always the same one.</summary>
    protected abstract PersistenceModule OpenModule(bool createTables = true);

    /// <summary>Drops tables of the test's database (unqualified names), outside any module.</summary>
    protected abstract Task DropTablesAsync(params string[] tables);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Tables_dropped_and_made_again_are_a_new_log_with_a_new_log_id()
    {
        var before = await OpenModule().CreateApplicationRecorder().GetLogIdAsync();

        await DropTablesAsync(EventsTable, LogIdentityTable);
        var after = await OpenModule().CreateApplicationRecorder().GetLogIdAsync();

        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Tables_of_an_earlier_version_get_a_log_id_on_first_use_and_keep_it()
    {
        var recorder = OpenModule().CreateApplicationRecorder();
        await recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await DropTablesAsync(LogIdentityTable);

        var upgraded = OpenModule().CreateApplicationRecorder();
        var logId = await upgraded.GetLogIdAsync();

        Assert.NotEqual(Guid.Empty, logId);
        Assert.Equal(1, await upgraded.MaxNotificationIdAsync());
        Assert.Equal(logId, await OpenModule().CreateApplicationRecorder().GetLogIdAsync());
    }

    [Fact]
    public async Task Without_table_creation_a_missing_log_identity_table_is_a_programming_error_naming_it()
    {
        await OpenModule().CreateApplicationRecorder().InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await DropTablesAsync(LogIdentityTable);
        var recorder = OpenModule(createTables: false).CreateApplicationRecorder();

        var error = await Assert.ThrowsAsync<ProgrammingException>(() => recorder.GetLogIdAsync());

        Assert.Contains(LogIdentityTable, error.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE_TABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Modules_that_create_the_tables_at_once_agree_on_one_log_id()
    {
        var recorders = Enumerable.Range(0, 4).Select(_ => OpenModule().CreateProcessRecorder()).ToArray();

        var logIds = await Task.WhenAll(recorders.Select(r => Task.Run(() => r.GetLogIdAsync())));

        Assert.Single(logIds.Distinct());
    }

    [Fact]
    public async Task Without_table_creation_a_missing_leader_logs_table_is_a_programming_error_naming_it_and_no_tracking_is_deleted()
    {
        await OpenModule().CreateProcessRecorder().InsertAsync(new RecordingBatch([], [new Tracking("upstream", 1), new Tracking("upstream", 2)]));
        await DropTablesAsync(LeaderLogsTable);
        var recorder = OpenModule(createTables: false).CreateProcessRecorder();

        var accepting = await Assert.ThrowsAsync<ProgrammingException>(() => recorder.AcceptLeaderLogAsync("upstream", Guid.NewGuid(), 0));
        var reading = await Assert.ThrowsAsync<ProgrammingException>(() => recorder.GetLeaderLogIdAsync("upstream"));

        Assert.Contains(LeaderLogsTable, accepting.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE_TABLE", accepting.Message, StringComparison.Ordinal);
        Assert.Contains(LeaderLogsTable, reading.Message, StringComparison.Ordinal);
        // The tracking rows were deleted in the transaction whose record of the log id failed, so they were taken back.
        Assert.Equal(2, await recorder.MaxTrackingIdAsync("upstream"));
    }

    [Fact]
    public async Task The_leader_logs_table_is_made_with_the_tracking_table_on_first_use()
    {
        var follower = OpenModule().CreateProcessRecorder();
        await follower.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 1)]));
        await DropTablesAsync(LeaderLogsTable);
        var logId = Guid.NewGuid();

        var upgraded = OpenModule().CreateProcessRecorder();
        await upgraded.AcceptLeaderLogAsync("upstream", logId, long.MaxValue);

        Assert.Equal(logId, await OpenModule().CreateProcessRecorder().GetLeaderLogIdAsync("upstream"));
        Assert.Equal(1, await upgraded.MaxTrackingIdAsync("upstream"));
    }
}
