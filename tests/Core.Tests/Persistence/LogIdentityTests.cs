using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence;

/// <summary>
/// The log identity where it lives in a table of its own: made with the tables, made again with them, and added to
/// the tables of an earlier version; the application it records as the owner of the tables, which another one may not
/// use; and the leaders' log ids a follower accepted, in a table of their own. One subclass per SQL backend (in memory
/// there are no tables and no owner; the recorder contracts cover it).
/// </summary>
public abstract class LogIdentityTests : IAsyncLifetime
{
    /// <summary>The log identity table's name, as the database reports it in errors.</summary>
    protected abstract string LogIdentityTable { get; }

    /// <summary>The events table's name, as <see cref="LogIdentityTable"/>.</summary>
    protected abstract string EventsTable { get; }

    /// <summary>The leader logs table's name, as <see cref="LogIdentityTable"/>.</summary>
    protected abstract string LeaderLogsTable { get; }

    /// <summary>The setting that would give another application a database (or tables) of its own.</summary>
    protected abstract string DatabaseSetting { get; }

    /// <summary>
    /// A module of its own (as another process would open) on the test's database, always the same one, for
    /// <paramref name="applicationName"/>. On PostgreSQL, whose table names are the application name lower-cased,
    /// <c>TESTS</c> reaches the tables of <c>Tests</c>.
    /// </summary>
    protected abstract PersistenceModule OpenModule(bool createTables = true, string applicationName = Owner);

    /// <summary>Runs <paramref name="sql"/> on the test's database (unqualified table names), outside any module.</summary>
    protected abstract Task ExecuteAsync(string sql);

    private const string Owner = "Tests";

    private const string Another = "TESTS";

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Drops tables of the test's database, outside any module.</summary>
    protected Task DropTablesAsync(params string[] tables) => ExecuteAsync(string.Concat(tables.Select(table => $"DROP TABLE {table};")));

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

    [Fact]
    public async Task Another_application_on_the_tables_stops_at_first_use_with_a_configuration_error_naming_both_and_the_setting()
    {
        await OpenModule().CreateApplicationRecorder().InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        var another = OpenModule(applicationName: Another);
        var recorder = another.CreateProcessRecorder();

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]));

        Assert.StartsWith($"Application {Another}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($" to application {Owner}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(DatabaseSetting, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConfigurationException>(() => recorder.MaxNotificationIdAsync());
        await Assert.ThrowsAsync<ConfigurationException>(() => recorder.MaxTrackingIdAsync("upstream"));
        await Assert.ThrowsAsync<ConfigurationException>(() => recorder.GetLogIdAsync());
        await Assert.ThrowsAsync<ConfigurationException>(() => another.CreateSnapshotRecorder().SelectEventsAsync(Guid.NewGuid()));
        Assert.Equal(1, await OpenModule().CreateApplicationRecorder().MaxNotificationIdAsync());
    }

    [Fact]
    public async Task The_owner_opening_its_tables_again_goes_on_using_them()
    {
        var first = OpenModule().CreateApplicationRecorder();
        await first.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);

        var again = OpenModule().CreateApplicationRecorder();
        await again.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);

        Assert.Equal(await first.GetLogIdAsync(), await again.GetLogIdAsync());
        Assert.Equal(2, await again.MaxNotificationIdAsync());
    }

    [Fact]
    public async Task A_log_identity_table_of_an_earlier_version_gets_its_first_user_as_owner_and_keeps_its_log_id()
    {
        var recorder = OpenModule().CreateApplicationRecorder();
        await recorder.InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        var logId = await recorder.GetLogIdAsync();
        await ExecuteAsync($"ALTER TABLE {LogIdentityTable} DROP COLUMN application_name");

        var upgraded = OpenModule().CreateApplicationRecorder();

        Assert.Equal(logId, await upgraded.GetLogIdAsync());
        Assert.Equal(1, await upgraded.MaxNotificationIdAsync());
        await Assert.ThrowsAsync<ConfigurationException>(() => OpenModule(applicationName: Another).CreateApplicationRecorder().GetLogIdAsync());
    }

    [Fact]
    public async Task Without_table_creation_a_log_identity_table_of_an_earlier_version_is_a_programming_error_naming_it()
    {
        await OpenModule().CreateApplicationRecorder().InsertEventsAsync([Event(Guid.NewGuid(), 1)]);
        await ExecuteAsync($"ALTER TABLE {LogIdentityTable} DROP COLUMN application_name");
        var recorder = OpenModule(createTables: false).CreateApplicationRecorder();

        var error = await Assert.ThrowsAsync<ProgrammingException>(() => recorder.MaxNotificationIdAsync());

        Assert.Contains(LogIdentityTable, error.Message, StringComparison.Ordinal);
        Assert.Contains("application_name", error.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE_TABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applications_that_first_use_new_tables_at_once_agree_on_one_owner()
    {
        var modules = new[] { Owner, Another, Owner, Another }.Select(name => (Name: name, Module: OpenModule(applicationName: name))).ToArray();

        var outcomes = await Task.WhenAll(modules.Select(m => Task.Run(async () =>
        {
            try
            {
                await m.Module.CreateApplicationRecorder().GetLogIdAsync();
                return (m.Name, Owns: true);
            }
            catch (ConfigurationException)
            {
                return (m.Name, Owns: false);
            }
        })));

        var owners = outcomes.Where(o => o.Owns).Select(o => o.Name).Distinct().ToArray();
        Assert.Single(owners);
        Assert.All(outcomes, o => Assert.Equal(o.Name == owners[0], o.Owns));
    }
}
