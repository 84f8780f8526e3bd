using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence;

/// <summary>The contract every process recorder meets: tracking rows written atomically with the events.</summary>
public abstract class ProcessRecorderTests : ApplicationRecorderTests
{
    /// <summary>A new, empty recorder, isolated from every other test.</summary>
    protected abstract Task<IProcessRecorder> CreateProcessRecorderAsync();

    protected sealed override async Task<IApplicationRecorder> CreateApplicationRecorderAsync() => await CreateProcessRecorderAsync();

    /// <summary>
    /// A second process recorder on the tables of the last recorder this fixture created, through a module of its own.
    /// Called only when <see cref="ApplicationRecorderTests.CanOpenTheSameTablesTwice"/>.
    /// </summary>
    protected virtual Task<IProcessRecorder> OpenProcessRecorderOnTheSameTablesAsync()
        => throw new NotSupportedException($"{GetType().Name} cannot open the same tables twice");

    protected sealed override async Task<IApplicationRecorder> OpenTheSameTablesAsync() => await OpenProcessRecorderOnTheSameTablesAsync();

    [Fact]
    public async Task Max_tracking_id_is_zero_when_nothing_was_tracked()
    {
        var recorder = await CreateProcessRecorderAsync();

        Assert.Equal(0, await recorder.MaxTrackingIdAsync("upstream"));
        Assert.False(await recorder.HasTrackingIdAsync("upstream", 1));
    }

    [Fact]
    public async Task Selects_the_tracking_ids_of_one_upstream_application_in_a_range_ascending_up_to_a_limit()
    {
        var recorder = await CreateProcessRecorderAsync();
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 7), new Tracking("upstream", 2), new Tracking("other", 3)]));
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 5), new Tracking("upstream", 9)]));

        Assert.Equal([2L, 5L, 7L, 9L], await recorder.SelectTrackingIdsAsync("upstream", 1, long.MaxValue, 100));
        Assert.Equal([5L, 7L], await recorder.SelectTrackingIdsAsync("upstream", 3, 8, 100));
        Assert.Equal([2L, 5L], await recorder.SelectTrackingIdsAsync("upstream", 2, 9, 2));
        Assert.Equal([3L], await recorder.SelectTrackingIdsAsync("other", 1, 10, 10));
        Assert.Empty(await recorder.SelectTrackingIdsAsync("upstream", 1, 10, 0));
        Assert.Empty(await recorder.SelectTrackingIdsAsync("upstream", 8, 6, 10));
        Assert.Empty(await recorder.SelectTrackingIdsAsync("nobody", 1, 10, 10));
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
    public async Task A_duplicate_tracking_row_among_concurrent_writes_fails_alone()
    {
        var recorder = await CreateProcessRecorderAsync();
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 1)]));
        var before = WritesCommittedTogether(recorder);
        var next = 2L;

        for (var round = 0; round < MaxRounds && (round == 0 || WritesCommittedTogether(recorder) == before); round++)
        {
            // Every sixth write tracks notification 1 again; the others track new ones and record an event each.
            var batches = Enumerable.Range(0, 24)
                .Select(i => i % 6 == 2
                    ? new RecordingBatch(Events(Guid.NewGuid(), 1, 1), [new Tracking("upstream", 1)])
                    : new RecordingBatch(Events(Guid.NewGuid(), 1, 1), [new Tracking("upstream", next++)]))
                .ToArray();
            var outcomes = await AllAtOnceAsync([.. batches.Select(batch => (Func<Task<(IReadOnlyList<long>? Ids, IntegrityException? Error)>>)(() => OutcomeAsync(() => recorder.InsertAsync(batch))))]);

            for (var i = 0; i < batches.Length; i++)
            {
                var duplicate = batches[i].Tracking[0].NotificationId == 1;
                Assert.Equal(duplicate, outcomes[i].Error is not null);
                Assert.Equal(duplicate ? 0 : 1, (await recorder.SelectEventsAsync(batches[i].Events[0].OriginatorId)).Count);
                Assert.True(await recorder.HasTrackingIdAsync("upstream", batches[i].Tracking[0].NotificationId));
            }
        }

        Assert.Equal(next - 1, await recorder.MaxTrackingIdAsync("upstream"));
        Assert.True(before is null || WritesCommittedTogether(recorder) > before, $"no two writes were committed together in {MaxRounds} bursts");
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

    [Fact]
    public async Task A_leader_log_id_is_null_before_the_first_accept()
    {
        var recorder = await CreateProcessRecorderAsync();
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 1)]));

        Assert.Null(await recorder.GetLeaderLogIdAsync("upstream"));
    }

    [Fact]
    public async Task An_accepted_leader_log_id_is_read_back_for_that_leader_only()
    {
        var recorder = await CreateProcessRecorderAsync();
        var logId = Guid.NewGuid();

        await recorder.AcceptLeaderLogAsync("upstream", logId, long.MaxValue);

        Assert.Equal(logId, await recorder.GetLeaderLogIdAsync("upstream"));
        Assert.Null(await recorder.GetLeaderLogIdAsync("other"));
        if (CanOpenTheSameTablesTwice)
        {
            var other = await OpenProcessRecorderOnTheSameTablesAsync();
            Assert.Equal(logId, await other.GetLeaderLogIdAsync("upstream"));
        }
    }

    [Fact]
    public async Task Accepting_another_leader_log_replaces_the_earlier_one()
    {
        var recorder = await CreateProcessRecorderAsync();
        var replaced = Guid.NewGuid();
        await recorder.AcceptLeaderLogAsync("upstream", Guid.NewGuid(), long.MaxValue);

        await recorder.AcceptLeaderLogAsync("upstream", replaced, long.MaxValue);

        Assert.Equal(replaced, await recorder.GetLeaderLogIdAsync("upstream"));
    }

    [Fact]
    public async Task Accepting_a_leader_log_deletes_that_leaders_tracking_rows_above_the_point_and_counts_them()
    {
        var recorder = await CreateProcessRecorderAsync();
        await TrackAsync(recorder, "upstream", 1, 5);
        await TrackAsync(recorder, "other", 1, 5);

        var deleted = await recorder.AcceptLeaderLogAsync("upstream", Guid.NewGuid(), keepTrackingUpTo: 2);

        Assert.Equal(3, deleted);
        Assert.Equal(2, await recorder.MaxTrackingIdAsync("upstream"));
        Assert.True(await recorder.HasTrackingIdAsync("upstream", 1));
        Assert.True(await recorder.HasTrackingIdAsync("upstream", 2));
        Assert.False(await recorder.HasTrackingIdAsync("upstream", 3));
        Assert.False(await recorder.HasTrackingIdAsync("upstream", 5));
        Assert.Equal(5, await recorder.MaxTrackingIdAsync("other"));
        Assert.True(await recorder.HasTrackingIdAsync("other", 3));

        // The leader's notifications after the point are processed again.
        await recorder.InsertAsync(new RecordingBatch([], [new Tracking("upstream", 3)]));
        Assert.Equal(3, await recorder.MaxTrackingIdAsync("upstream"));
    }

    [Fact]
    public async Task Accepting_a_leader_log_keeping_nothing_deletes_every_tracking_row_of_that_leader()
    {
        var recorder = await CreateProcessRecorderAsync();
        await TrackAsync(recorder, "upstream", 1, 4);

        Assert.Equal(4, await recorder.AcceptLeaderLogAsync("upstream", Guid.NewGuid(), keepTrackingUpTo: 0));

        Assert.Equal(0, await recorder.MaxTrackingIdAsync("upstream"));
    }

    [Fact]
    public async Task Accepting_a_leader_log_up_to_long_max_value_deletes_no_tracking_rows()
    {
        var recorder = await CreateProcessRecorderAsync();
        await TrackAsync(recorder, "upstream", 1, 3);

        Assert.Equal(0, await recorder.AcceptLeaderLogAsync("upstream", Guid.NewGuid(), long.MaxValue));

        Assert.Equal(3, await recorder.MaxTrackingIdAsync("upstream"));
        Assert.True(await recorder.HasTrackingIdAsync("upstream", 1));
    }

    [Fact]
    public async Task Accepting_the_same_leader_log_twice_deletes_nothing_the_second_time()
    {
        var recorder = await CreateProcessRecorderAsync();
        var logId = Guid.NewGuid();
        await TrackAsync(recorder, "upstream", 1, 6);

        Assert.Equal(2, await recorder.AcceptLeaderLogAsync("upstream", logId, keepTrackingUpTo: 4));
        Assert.Equal(0, await recorder.AcceptLeaderLogAsync("upstream", logId, keepTrackingUpTo: 4));

        Assert.Equal(logId, await recorder.GetLeaderLogIdAsync("upstream"));
        Assert.Equal(4, await recorder.MaxTrackingIdAsync("upstream"));
        Assert.True(await recorder.HasTrackingIdAsync("upstream", 4));
    }

    [Fact]
    public async Task Accepting_a_leader_log_keeping_a_negative_position_is_an_argument_error()
    {
        var recorder = await CreateProcessRecorderAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => recorder.AcceptLeaderLogAsync("upstream", Guid.NewGuid(), -1));

        Assert.Null(await recorder.GetLeaderLogIdAsync("upstream"));
    }

    private static Task TrackAsync(IProcessRecorder recorder, string leader, int first, int last)
        => recorder.InsertAsync(new RecordingBatch([], [.. Enumerable.Range(first, last - first + 1).Select(n => new Tracking(leader, n))]));
}
