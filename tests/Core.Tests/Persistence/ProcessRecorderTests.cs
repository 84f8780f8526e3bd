using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence;

/// <summary>The contract every process recorder meets: tracking rows written atomically with the events.</summary>
public abstract class ProcessRecorderTests : ApplicationRecorderTests
{
    /// <summary>A new, empty recorder, isolated from every other test.</summary>
    protected abstract Task<IProcessRecorder> CreateProcessRecorderAsync();

    protected sealed override async Task<IApplicationRecorder> CreateApplicationRecorderAsync() => await CreateProcessRecorderAsync();

    [Fact]
    public async Task Max_tracking_id_is_zero_when_nothing_was_tracked()
    {
        var recorder = await CreateProcessRecorderAsync();

        Assert.Equal(0, await recorder.MaxTrackingIdAsync("upstream"));
        Assert.False(await recorder.HasTrackingIdAsync("upstream", 1));
    }

    [Fact]
    public async Task Records_events_with_their_tracking_row()
    {
        var recorder = await CreateProcessRecorderAsync();
        var id = Guid.NewGuid();

        var ids = await recorder.InsertAsync(new RecordingBatch(Events(id, 1, 2), [new Tracking("upstream", 7)]));

        Assert.Equal(2, ids.Count);
        Assert.Equal(7, await recorder.MaxTrackingIdAsync("upstream"));
        Assert.True(await recorder.HasTrackingIdAsync("upstream", 7));
        Assert.Equal(2, (await recorder.SelectEventsAsync(id)).Count);
        Assert.Equal(ids, (await recorder.SelectNotificationsAsync(1, 10)).Select(n => n.Id));
    }

    [Fact]
    public async Task A_tracking_row_with_no_events_is_valid()
    {
        var recorder = await CreateProcessRecorderAsync();

        var ids = await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 1)]));

        Assert.Empty(ids);
        Assert.Equal(1, await recorder.MaxTrackingIdAsync("upstream"));
        Assert.Equal(0, await recorder.MaxNotificationIdAsync());
    }

    [Fact]
    public async Task A_duplicate_tracking_row_raises_and_writes_none_of_the_events()
    {
        var recorder = await CreateProcessRecorderAsync();
        await recorder.InsertAsync(new RecordingBatch(Events(Guid.NewGuid(), 1, 1), [new Tracking("upstream", 1)]));
        var id = Guid.NewGuid();

        await Assert.ThrowsAnyAsync<IntegrityException>(() => recorder.InsertAsync(new RecordingBatch(Events(id, 1, 3), [new Tracking("upstream", 1)])));

        Assert.Empty(await recorder.SelectEventsAsync(id));
        Assert.Single(await recorder.SelectNotificationsAsync(1, 10));
    }

    [Fact]
    public async Task A_batch_of_many_tracking_rows_is_written_whole_or_not_at_all()
    {
        var recorder = await CreateProcessRecorderAsync();
        var id = Guid.NewGuid();
        await recorder.InsertAsync(new RecordingBatch([Event(id, 1)], [new Tracking("upstream", 5)]));

        var tracking = Enumerable.Range(1, 10).Select(n => new Tracking("upstream", n)).ToArray();
        await Assert.ThrowsAnyAsync<IntegrityException>(() => recorder.InsertAsync(new RecordingBatch([Event(id, 2)], tracking)));
        await Assert.ThrowsAnyAsync<IntegrityException>(() => recorder.InsertAsync(new RecordingBatch([Event(id, 1)], [new Tracking("upstream", 11)])));

        Assert.False(await recorder.HasTrackingIdAsync("upstream", 4));
        Assert.False(await recorder.HasTrackingIdAsync("upstream", 11));
        Assert.Single(await recorder.SelectEventsAsync(id));

        await recorder.InsertAsync(new RecordingBatch([Event(id, 2)], [.. tracking.Where(t => t.NotificationId != 5)]));
        foreach (var t in tracking)
        {
            Assert.True(await recorder.HasTrackingIdAsync(t.ApplicationName, t.NotificationId), $"notification {t.NotificationId} not tracked");
        }

        Assert.Equal(10, await recorder.MaxTrackingIdAsync("upstream"));
    }

    [Fact]
    public async Task Has_tracking_id_is_exact()
    {
        var recorder = await CreateProcessRecorderAsync();
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 2), new Tracking("upstream", 4)]));

        Assert.False(await recorder.HasTrackingIdAsync("upstream", 1));
        Assert.True(await recorder.HasTrackingIdAsync("upstream", 2));
        Assert.False(await recorder.HasTrackingIdAsync("upstream", 3));
        Assert.True(await recorder.HasTrackingIdAsync("upstream", 4));
        Assert.False(await recorder.HasTrackingIdAsync("other", 2));
    }

    [Fact]
    public async Task Max_tracking_id_never_decreases_and_is_kept_per_upstream_application()
    {
        var recorder = await CreateProcessRecorderAsync();
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("first", 5)]));
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("first", 3)]));
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("second", 9)]));

        Assert.Equal(5, await recorder.MaxTrackingIdAsync("first"));
        Assert.Equal(9, await recorder.MaxTrackingIdAsync("second"));
    }
}
