using System.Data.Common;
using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence;

/// <summary>
/// View changes (rows of a materialized view in the follower's own database) commit in the recorder's
/// transaction, with the tracking rows and events, or not at all. One subclass per SQL backend.
/// </summary>
public abstract class ViewChangeTests : IAsyncLifetime
{
    /// <summary>A new, empty process recorder, isolated from every other test.</summary>
    protected abstract Task<IProcessRecorder> CreateProcessRecorderAsync();

    /// <summary>The view's table name, qualified as the backend needs.</summary>
    protected virtual string ViewTable => "trick_view";

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_view_change_commits_with_the_tracking_row()
    {
        var recorder = await CreateProcessRecorderAsync();
        var id = Guid.NewGuid();

        await recorder.InsertAsync(new RecordingBatch([Event(id, 1)], [new Tracking("upstream", 1)], [new AddRow(ViewTable, "roll over")]));

        Assert.Equal(["roll over"], await ReadViewAsync(recorder));
        Assert.Single(await recorder.SelectEventsAsync(id));
    }

    [Fact]
    public async Task A_view_change_is_rolled_back_with_a_duplicate_tracking_row()
    {
        var recorder = await CreateProcessRecorderAsync();
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 1)], [new AddRow(ViewTable, "first")]));

        await Assert.ThrowsAnyAsync<IntegrityException>(
            () => recorder.InsertAsync(new RecordingBatch([Event(Guid.NewGuid(), 1)], [new Tracking("upstream", 1)], [new AddRow(ViewTable, "second")])));

        Assert.Equal(["first"], await ReadViewAsync(recorder));
        Assert.Equal(0, await recorder.MaxNotificationIdAsync());
    }

    [Fact]
    public async Task A_failing_view_change_writes_neither_tracking_nor_events()
    {
        var recorder = await CreateProcessRecorderAsync();
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 1)], [new AddRow(ViewTable, "first")]));

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => recorder.InsertAsync(new RecordingBatch([Event(Guid.NewGuid(), 1)], [new Tracking("upstream", 2)], [new AddRow(ViewTable, "second"), new Fail()])));

        Assert.False(await recorder.HasTrackingIdAsync("upstream", 2));
        Assert.Equal(0, await recorder.MaxNotificationIdAsync());
        Assert.Equal(["first"], await ReadViewAsync(recorder));
    }

    private async Task<List<string>> ReadViewAsync(IProcessRecorder recorder)
    {
        var read = new ReadRows(ViewTable);
        await recorder.InsertAsync(new RecordingBatch([], [], [read]));
        return read.Rows;
    }

    private static DbCommand Command(IRecorderTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction.Transaction;
        command.CommandText = sql;
        return command;
    }

    private sealed class AddRow(string table, string trick) : IViewChange
    {
        public async Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken)
        {
            await using (var create = Command(transaction, $"CREATE TABLE IF NOT EXISTS {table} (trick TEXT NOT NULL)"))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var insert = Command(transaction, $"INSERT INTO {table} (trick) VALUES ('{trick}')");
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private sealed class ReadRows(string table) : IViewChange
    {
        public List<string> Rows { get; } = [];

        public async Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken)
        {
            await using var select = Command(transaction, $"SELECT trick FROM {table} ORDER BY trick");
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Rows.Add(reader.GetString(0));
            }
        }
    }

    private sealed class Fail : IViewChange
    {
        public Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken)
            => throw new InvalidOperationException("the view change failed");
    }
}
