namespace EventSourcing.Tests.Applications;

/// <summary>
/// What this process's commits recorded, kept for readers woken by them: handed out only where it follows on without
/// a gap, so that a reader never skips what another process (or a commit it has not heard of yet) recorded.
/// </summary>
public sealed class NotificationSignalTests
{
    [Fact]
    public void Recorded_notifications_are_handed_out_from_the_one_after_up_to_the_first_gap()
    {
        var signal = new NotificationSignal();
        signal.KeepRecorded();
        signal.Publish(Notifications(1, 2));
        signal.Publish(Notifications(5, 6));

        Assert.Equal([1L, 2L], Ids(signal.TakeRecorded(0, 100)));
        Assert.Equal([2L], Ids(signal.TakeRecorded(1, 100)));
        Assert.Empty(signal.TakeRecorded(2, 100));
        Assert.Equal([5L, 6L], Ids(signal.TakeRecorded(4, 100)));
        Assert.Equal([5L], Ids(signal.TakeRecorded(4, 1)));
        Assert.Empty(signal.TakeRecorded(6, 100));
        Assert.Equal(6, signal.MaxNotificationId);
    }

    [Fact]
    public void Commits_announced_out_of_order_are_kept_in_id_order()
    {
        var signal = new NotificationSignal();
        signal.KeepRecorded();
        signal.Publish(Notifications(3, 4));
        Assert.Empty(signal.TakeRecorded(0, 100));

        signal.Publish(Notifications(1, 2));
        signal.Publish(Notifications(2, 2));

        Assert.Equal([1L, 2L, 3L, 4L], Ids(signal.TakeRecorded(0, 100)));
        Assert.Equal(4, signal.MaxNotificationId);
    }

    [Fact]
    public void Only_the_latest_are_kept_within_the_count_and_the_bytes()
    {
        var signal = new NotificationSignal();
        signal.KeepRecorded();
        var count = NotificationSignal.RecordedCapacity + 10;
        signal.Publish(Notifications(1, count));

        Assert.Empty(signal.TakeRecorded(0, int.MaxValue));
        Assert.Equal(NotificationSignal.RecordedCapacity, signal.TakeRecorded(10, int.MaxValue).Count);

        var large = new Notification(count + 1, Guid.NewGuid(), 1, "tests:Large", new byte[NotificationSignal.RecordedBytes]);
        signal.Publish([large]);

        Assert.Empty(signal.TakeRecorded(count - 1, int.MaxValue));
        Assert.Equal([large], signal.TakeRecorded(count, int.MaxValue));
    }

    [Fact]
    public void An_id_committed_again_after_a_rollback_replaces_the_one_kept()
    {
        var signal = new NotificationSignal();
        signal.KeepRecorded();
        signal.Publish(Notifications(1, 3));
        var again = new Notification(3, Guid.NewGuid(), 1, "tests:Again", [9]);

        signal.Publish([again]);

        Assert.Same(again, signal.TakeRecorded(2, 100).Single());
    }

    [Fact]
    public void What_is_kept_beyond_the_end_of_the_log_as_read_is_forgotten()
    {
        var signal = new NotificationSignal();
        signal.KeepRecorded();
        signal.Publish(Notifications(1, 6));

        signal.ForgetRecordedAfter(3);

        Assert.Equal([2L, 3L], Ids(signal.TakeRecorded(1, 100)));
        Assert.Empty(signal.TakeRecorded(3, 100));
        signal.Publish(Notifications(4, 4));
        Assert.Equal([4L], Ids(signal.TakeRecorded(3, 100)));
    }

    [Fact]
    public void Nothing_is_kept_once_the_last_reader_has_stopped()
    {
        var signal = new NotificationSignal();
        signal.KeepRecorded();
        signal.KeepRecorded();
        signal.Publish(Notifications(1, 2));

        signal.StopKeepingRecorded();
        Assert.True(signal.KeepsRecorded);
        Assert.Equal([1L, 2L], Ids(signal.TakeRecorded(0, 100)));

        signal.StopKeepingRecorded();
        signal.Publish(Notifications(3, 3));
        Assert.False(signal.KeepsRecorded);
        Assert.Empty(signal.TakeRecorded(0, 100));
    }

    [Fact]
    public void Nothing_is_kept_until_a_reader_asks()
    {
        var signal = new NotificationSignal();
        signal.Publish(Notifications(1, 3));

        Assert.False(signal.KeepsRecorded);
        Assert.Empty(signal.TakeRecorded(0, 100));
        Assert.Equal(3, signal.MaxNotificationId);
    }

    private static Notification[] Notifications(long from, long to)
        => [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(id => new Notification(id, Guid.NewGuid(), 1, "tests:Happened", [1, 2, 3]))];

    private static long[] Ids(IReadOnlyList<Notification> notifications) => [.. notifications.Select(n => n.Id)];
}
