using EventSourcing.Grpc.Following;
using Grpc.Core;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Grpc.Tests.Following;

/// <summary>
/// How a follower takes a leader's Subscribe stream: frames that arrived while it processed the last batch come out
/// together, as one batch, so that a follower that fell behind catches up in a few transactions instead of one per frame.
/// </summary>
public sealed class SubscribeBatchesTests
{
    private static readonly Guid LogA = Guid.NewGuid();
    private static readonly Guid LogB = Guid.NewGuid();

    [Fact]
    public async Task Frames_that_arrived_while_a_batch_was_processed_come_out_as_one_batch_in_order()
    {
        var frames = new Frames();
        await using var batches = Batches(frames);
        frames.Arrive(Frame(LogA, 1));

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([1L], Ids(batches.Current));
        // The follower processes notification 1 while 2 to 5 arrive, one frame each.
        for (var id = 2; id <= 5; id++)
        {
            frames.Arrive(Frame(LogA, id));
        }

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([2L, 3L, 4L, 5L], Ids(batches.Current));
        Assert.Equal(5, batches.Current.Position);
        Assert.Equal(5, batches.Current.MaxNotificationId);
        Assert.Equal(LogA, batches.Current.LogId);
    }

    [Fact]
    public async Task A_batch_waits_for_no_frame_that_has_not_arrived()
    {
        var frames = new Frames();
        await using var batches = Batches(frames);
        frames.Arrive(Frame(LogA, 1), Frame(LogA, 2));

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([1L, 2L], Ids(batches.Current));

        var next = batches.MoveNextAsync();
        Assert.False(next.IsCompleted);
        frames.Arrive(Frame(LogA, 3));
        Assert.True(await next);
        Assert.Equal([3L], Ids(batches.Current));
    }

    [Fact]
    public async Task A_batch_holds_at_most_as_many_notifications_as_a_catch_up_read_and_no_frame_is_split_or_lost()
    {
        var frames = new Frames();
        await using var batches = Batches(frames);
        var frameSize = (RemoteNotificationSource.MaxBatch / 2) - 1;
        var sent = Enumerable.Range(0, 5).Select(f => Frame(LogA, [.. Enumerable.Range((f * frameSize) + 1, frameSize).Select(i => (long)i)])).ToArray();
        frames.Arrive(sent);
        frames.End();

        var sizes = new List<int>();
        var ids = new List<long>();
        while (await batches.MoveNextAsync())
        {
            sizes.Add(batches.Current.Notifications.Count);
            ids.AddRange(Ids(batches.Current));
        }

        Assert.Equal([2 * frameSize, 2 * frameSize, frameSize], sizes);
        Assert.Equal(Enumerable.Range(1, 5 * frameSize).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task A_frame_of_another_log_is_not_joined_to_a_batch_of_the_last()
    {
        var frames = new Frames();
        await using var batches = Batches(frames);
        frames.Arrive(Frame(LogA, 1), Frame(LogA, 2), Frame(LogB, 1), Frame(LogB, 2));

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal(LogA, batches.Current.LogId);
        Assert.Equal([1L, 2L], Ids(batches.Current));
        Assert.True(await batches.MoveNextAsync());
        Assert.Equal(LogB, batches.Current.LogId);
        Assert.Equal([1L], Ids(batches.Current));
    }

    [Fact]
    public async Task A_frame_that_only_advances_the_position_advances_the_batch()
    {
        var frames = new Frames();
        await using var batches = Batches(frames);
        frames.Arrive(Frame(LogA, 1), PositionOnly(LogA, 4));

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([1L], Ids(batches.Current));
        Assert.Equal(4, batches.Current.Position);
    }

    [Fact]
    public async Task A_first_frame_that_says_the_leader_log_is_behind_the_follower_is_not_joined_so_the_follower_sees_it()
    {
        var frames = new Frames();
        // The follower has processed up to 5; the leader's log was rolled back to 3 and has grown again since.
        await using var batches = Batches(frames, after: 5);
        var rolledBack = PositionOnly(LogA, 5);
        rolledBack.MaxNotificationId = 3;
        frames.Arrive(rolledBack, Frame(LogA, 6));

        Assert.True(await batches.MoveNextAsync());
        Assert.Empty(batches.Current.Notifications);
        Assert.Equal((5L, 3L), (batches.Current.Position, batches.Current.MaxNotificationId));
        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([6L], Ids(batches.Current));
    }

    [Fact]
    public async Task A_frame_whose_maximum_goes_back_is_not_joined()
    {
        var frames = new Frames();
        await using var batches = Batches(frames);
        var back = PositionOnly(LogA, 2);
        back.MaxNotificationId = 1;
        frames.Arrive(Frame(LogA, 1, 2), back);

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal(2, batches.Current.MaxNotificationId);
        Assert.True(await batches.MoveNextAsync());
        Assert.Equal(1, batches.Current.MaxNotificationId);
    }

    [Fact]
    public async Task A_frame_that_cannot_be_decoded_fails_the_batches_after_the_frames_before_it_have_gone_out()
    {
        var frames = new Frames();
        await using var batches = Batches(frames);
        var undecodable = Frame(LogA, 3);
        undecodable.LogId = "not a log id";
        frames.Arrive(Frame(LogA, 1), Frame(LogA, 2), undecodable);

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([1L, 2L], Ids(batches.Current));
        await Assert.ThrowsAsync<DecodingException>(() => batches.MoveNextAsync().AsTask());
    }

    [Fact]
    public async Task The_frames_before_the_end_of_the_stream_come_out_and_then_the_batches_end()
    {
        var frames = new Frames();
        await using var batches = Batches(frames);
        frames.Arrive(Frame(LogA, 1), Frame(LogA, 2));
        frames.End();

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([1L, 2L], Ids(batches.Current));
        Assert.False(await batches.MoveNextAsync());
    }

    [Fact]
    public async Task A_failed_call_comes_out_as_the_library_exception_after_the_frames_before_it()
    {
        var frames = new Frames();
        await using var batches = Batches(frames);
        frames.Arrive(Frame(LogA, 1), Frame(LogA, 2));
        frames.Fail(new RpcException(new Status(StatusCode.Unavailable, "leader gone")));

        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([1L, 2L], Ids(batches.Current));
        var failure = await Assert.ThrowsAsync<OperationalException>(() => batches.MoveNextAsync().AsTask());
        Assert.Contains("leader gone", failure.Message, StringComparison.Ordinal);
    }

    private static IAsyncEnumerator<NotificationBatch> Batches(Frames frames, long after = 0)
        => RemoteNotificationSource.BatchesAsync(frames, after, ToBatch, ex => new OperationalException(ex.Status.Detail, ex), CancellationToken.None).GetAsyncEnumerator();

    private static NotificationBatch ToBatch(Proto.SubscribeResponse frame)
        => !Guid.TryParse(frame.LogId, out var log) ? throw new DecodingException($"a frame without a log id ('{frame.LogId}')") : new(
            [.. frame.Notifications.Select(n => new Notification((long)n.Id, Guid.Parse(n.OriginatorId), (int)n.OriginatorVersion, n.Topic, n.State.ToByteArray()))],
            (long)frame.Position,
            (long)frame.MaxNotificationId,
            log);

    private static long[] Ids(NotificationBatch batch) => [.. batch.Notifications.Select(n => n.Id)];

    private static Proto.SubscribeResponse Frame(Guid log, params long[] ids)
    {
        var frame = PositionOnly(log, ids[^1]);
        frame.Notifications.AddRange(ids.Select(id => new Proto.Notification
        {
            Id = (ulong)id,
            OriginatorId = Guid.NewGuid().ToString(),
            OriginatorVersion = 1,
            Topic = "dogschool:Dog.TrickAdded",
        }));
        return frame;
    }

    private static Proto.SubscribeResponse PositionOnly(Guid log, long position)
        => new() { Position = (ulong)position, MaxNotificationId = (ulong)position, LogId = log.ToString() };

    /// <summary>A Subscribe stream whose frames arrive when the test says: a read completes at once for a frame that arrived.</summary>
    private sealed class Frames : IAsyncStreamReader<Proto.SubscribeResponse>
    {
        private readonly Queue<Proto.SubscribeResponse> _arrived = new();
        private TaskCompletionSource<bool>? _waiting;
        private Exception? _failure;
        private bool _ended;

        public Proto.SubscribeResponse Current { get; private set; } = null!;

        public Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            Assert.Null(_waiting);
            if (_arrived.TryDequeue(out var frame))
            {
                Current = frame;
                return Task.FromResult(true);
            }

            if (_failure is not null)
            {
                return Task.FromException<bool>(_failure);
            }

            if (_ended)
            {
                return Task.FromResult(false);
            }

            _waiting = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiting.Task;
        }

        public void Arrive(params Proto.SubscribeResponse[] frames)
        {
            foreach (var frame in frames)
            {
                if (TakeWaiting() is { } waiting)
                {
                    Current = frame;
                    waiting.SetResult(true);
                }
                else
                {
                    _arrived.Enqueue(frame);
                }
            }
        }

        public void End()
        {
            _ended = true;
            TakeWaiting()?.SetResult(false);
        }

        public void Fail(Exception failure)
        {
            _failure = failure;
            TakeWaiting()?.SetException(failure);
        }

        private TaskCompletionSource<bool>? TakeWaiting()
        {
            var waiting = _waiting;
            _waiting = null;
            return waiting;
        }
    }
}
