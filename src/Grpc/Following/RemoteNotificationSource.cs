using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Grpc.Following;

/// <summary>
/// A leader on another node as a source: its <c>NotificationLog.Subscribe</c> stream. A failed call comes out as the
/// library's exception (a node that cannot be reached is a transient <see cref="OperationalException"/>).
/// </summary>
public sealed class RemoteNotificationSource : INotificationSource
{
    private readonly Proto.NotificationLog.NotificationLogClient _client;
    private readonly Metadata? _headers;

    /// <param name="leaderName">The leader's application name.</param>
    /// <param name="url">The leader node's address.</param>
    /// <param name="channel">A channel to <paramref name="url"/> (see <see cref="NodeChannel"/>); the caller disposes it.</param>
    /// <param name="token">The shared token to send, when the leader requires one.</param>
    public RemoteNotificationSource(string leaderName, Uri url, GrpcChannel channel, string? token = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaderName);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(channel);
        LeaderName = leaderName;
        Url = url;
        _client = new Proto.NotificationLog.NotificationLogClient(channel);
        _headers = BearerToken.Headers(token);
    }

    public string LeaderName { get; }

    public Uri Url { get; }

    public string Description => $"{LeaderName} at {NodeCommandLine.Address(Url)}";

    /// <remarks>
    /// Frames that have arrived already while the follower processed the last batch come out with the next one, as one
    /// batch of at most <see cref="MaxBatch"/> notifications (see <see cref="BatchesAsync"/>).
    /// </remarks>
    public async IAsyncEnumerable<NotificationBatch> SubscribeAsync(
        long start,
        IReadOnlyCollection<string>? topics,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new Proto.SubscribeRequest { Start = start };
        if (topics is not null)
        {
            request.Topics.AddRange(topics);
        }

        using var call = _client.Subscribe(request, _headers, cancellationToken: cancellationToken);
        await foreach (var batch in BatchesAsync(call.ResponseStream, start - 1, ToBatch, ex => ErrorContract.ToException(ex, LeaderName), cancellationToken))
        {
            yield return batch;
        }
    }

    /// <summary>The most notifications <see cref="BatchesAsync"/> puts in one batch: as many as a catch-up read.</summary>
    public const int MaxBatch = LocalNotificationSource.BatchSize;

    /// <summary>
    /// The batches of a Subscribe stream. A leader sends each commit as it comes, so a follower whose processing falls
    /// behind (a commit that waited for the disk) finds many small frames waiting: processed one by one, one
    /// transaction each, they drained no faster than they came, and a stall of tens of milliseconds delayed hundreds
    /// of notifications. So the frames that have arrived already (their read completes at once) join the batch, up to
    /// <see cref="MaxBatch"/> notifications. Only a frame that plainly continues the batch joins it: never one of
    /// another log, nor one whose maximum or position goes back, nor any onto a batch whose maximum is behind where it
    /// starts (a leader log rolled back: the follower's checks must see that batch as it came). The next frame is asked
    /// for before a batch goes out, so it arrives while the batch is processed.
    /// </summary>
    /// <param name="after">Where the stream starts: the position before its first frame.</param>
    /// <param name="translate">The library's exception for a failed call.</param>
    internal static async IAsyncEnumerable<NotificationBatch> BatchesAsync(
        IAsyncStreamReader<Proto.SubscribeResponse> frames,
        long after,
        Func<Proto.SubscribeResponse, NotificationBatch> toBatch,
        Func<RpcException, Exception> translate,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Task<bool>? next = null;
        NotificationBatch? carried = null;
        ExceptionDispatchInfo? undecodable = null;
        try
        {
            while (true)
            {
                var batch = carried;
                carried = null;
                if (batch is null)
                {
                    if (!await ReceivedAsync(next ?? frames.MoveNext(cancellationToken), translate, cancellationToken))
                    {
                        yield break;
                    }

                    batch = toBatch(frames.Current);
                }

                next = null;
                var ended = false;
                List<Notification>? joined = null;
                var count = batch.Notifications.Count;
                while (count < MaxBatch && batch.MaxNotificationId >= after)
                {
                    // A read that failed at once is left for the next batch, so that this one goes out first.
                    next = frames.MoveNext(cancellationToken);
                    if (!next.IsCompletedSuccessfully)
                    {
                        break;
                    }

                    ended = !await ReceivedAsync(next, translate, cancellationToken);
                    next = null;
                    if (ended)
                    {
                        break;
                    }

                    NotificationBatch following;
                    try
                    {
                        following = toBatch(frames.Current);
                    }
                    catch (Exception ex)
                    {
                        // Raised once the frames before it have gone out, as it would have been frame by frame.
                        undecodable = ExceptionDispatchInfo.Capture(ex);
                        break;
                    }

                    if (!Continues(batch, following) || count + following.Notifications.Count > MaxBatch)
                    {
                        carried = following;
                        break;
                    }

                    if (following.Notifications.Count > 0)
                    {
                        joined ??= [.. batch.Notifications];
                        joined.AddRange(following.Notifications);
                        count += following.Notifications.Count;
                    }

                    batch = batch with { Position = following.Position, MaxNotificationId = following.MaxNotificationId };
                }

                yield return joined is null ? batch : batch with { Notifications = joined };
                after = batch.Position;
                undecodable?.Throw();
                if (ended)
                {
                    yield break;
                }
            }
        }
        finally
        {
            // A read asked for and not awaited (the follower stopped): what it ends with, the call's cancellation, is
            // observed here rather than left unobserved.
            _ = next?.ContinueWith(static read => _ = read.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Whether <paramref name="following"/> takes up where <paramref name="batch"/> ends, in the same log, nothing going back.</summary>
    private static bool Continues(NotificationBatch batch, NotificationBatch following)
        => following.LogId == batch.LogId
            && following.Position >= batch.Position
            && following.MaxNotificationId >= batch.MaxNotificationId
            && following.MaxNotificationId >= following.Position
            && (following.Notifications.Count == 0 || following.Notifications[0].Id > batch.Position);

    private static async Task<bool> ReceivedAsync(Task<bool> read, Func<RpcException, Exception> translate, CancellationToken cancellationToken)
    {
        try
        {
            return await read;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw translate(ex);
        }
    }

    private NotificationBatch ToBatch(Proto.SubscribeResponse frame)
    {
        if (!Guid.TryParse(frame.LogId, out var logId))
        {
            throw new DecodingException($"{Description} sent a frame without a log id ('{frame.LogId}'): is it an es-node of this protocol?");
        }

        var notifications = new Notification[frame.Notifications.Count];
        for (var i = 0; i < notifications.Length; i++)
        {
            notifications[i] = NotificationMapping.FromProto(frame.Notifications[i]);
        }

        return new NotificationBatch(
            notifications,
            NotificationMapping.FromWire(frame.Position),
            NotificationMapping.FromWire(frame.MaxNotificationId),
            logId);
    }
}
