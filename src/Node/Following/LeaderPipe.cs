using Grpc.Core;
using Grpc.Net.Client;
using Proto = EventSourcing.Rpc.V1;

namespace EventSourcing.Node.Following;

/// <summary>
/// Follows one leader: subscribes from the follower's own tracking (max + 1), processes each frame as one batch
/// (tracking rows and new events in one transaction), and on any failure reconnects with backoff and resumes from
/// its tracking again, so nothing is lost or applied twice whatever dies when.
/// </summary>
public sealed partial class LeaderPipe(
    ProcessApplication follower,
    string leader,
    Uri url,
    GrpcChannel channel,
    Mapper leaderMapper,
    Hosting.NodeOptions options,
    ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(100), options.MaxBackoff);
    private PipeState _state = PipeState.Connecting;
    private long _position;
    private long _leaderMax;
    private string? _lastError;
    private int _reconnects;

    public string Leader => leader;

    public PipeSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new PipeSnapshot(leader, url, _state, _position, _leaderMax, _lastError, _reconnects);
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var client = new Proto.NotificationLog.NotificationLogClient(channel);
        var headers = options.Token is null ? null : new Metadata { { "authorization", "Bearer " + options.Token } };
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(client, headers, stopping);
                throw new IOException($"{leader} closed the stream");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && stopping.IsCancellationRequested)
            {
                break;
            }
            catch (PolicyException ex)
            {
                PolicyFailed(logger, leader, ex.NotificationId, ex.Message, ex.InnerException);

                // The notifications of the frame before the failing one were recorded: report them as processed.
                await RefreshPositionAsync(stopping);
                if (options.OnPolicyError == Hosting.PolicyErrorBehaviour.Stop)
                {
                    Set(PipeState.Failed, ex.Message);
                    return;
                }

                await RetryLaterAsync(ex.Message, stopping);
            }
            catch (Exception ex)
            {
                var message = ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;
                Disconnected(logger, leader, url, message);
                await RetryLaterAsync(message, stopping);
            }
        }

        Set(PipeState.Stopped, null);
    }

    private async Task FollowAsync(Proto.NotificationLog.NotificationLogClient client, Metadata? headers, CancellationToken stopping)
    {
        Set(PipeState.Connecting, null);
        var tracked = await follower.Recorder.MaxTrackingIdAsync(leader, stopping);
        lock (_lock)
        {
            _position = Math.Max(_position, tracked);
        }

        var request = new Proto.SubscribeRequest { Start = tracked + 1 };
        if (follower.FollowTopics is { } topics)
        {
            request.Topics.AddRange(topics);
        }

        using var call = client.Subscribe(request, headers, cancellationToken: stopping);
        var subscribed = false;
        await foreach (var frame in call.ResponseStream.ReadAllAsync(stopping))
        {
            if (!subscribed)
            {
                subscribed = true;
                Subscribed(logger, leader, url, tracked + 1);
                Set(PipeState.Running, null);
            }

            if (frame.Notifications.Count > 0)
            {
                var notifications = new Notification[frame.Notifications.Count];
                for (var i = 0; i < notifications.Length; i++)
                {
                    notifications[i] = Grpc.NotificationMapping.FromProto(frame.Notifications[i]);
                }

                await follower.ProcessAsync(leader, notifications, leaderMapper, stopping);
            }

            lock (_lock)
            {
                _position = Math.Max(_position, frame.Position);
                _leaderMax = frame.MaxNotificationId;
                _lastError = null;
            }

            _backoff.Reset();
        }
    }

    private async Task RefreshPositionAsync(CancellationToken stopping)
    {
        try
        {
            var tracked = await follower.Recorder.MaxTrackingIdAsync(leader, stopping);
            lock (_lock)
            {
                _position = Math.Max(_position, tracked);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Status shows the older position until the pipe reads its tracking again on reconnecting.
            TrackingUnreadable(logger, leader, ex.Message);
        }
    }

    private async Task RetryLaterAsync(string error, CancellationToken stopping)
    {
        Set(PipeState.Retrying, error);
        Interlocked.Increment(ref _reconnects);
        try
        {
            await Task.Delay(_backoff.Next(), stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends.
        }
    }

    private void Set(PipeState state, string? error)
    {
        lock (_lock)
        {
            _state = state;
            if (error is not null)
            {
                _lastError = error;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following {Leader} at {Url} from notification {Start}")]
    private static partial void Subscribed(ILogger logger, string leader, Uri url, long start);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost {Leader} at {Url}: {Error}; reconnecting with backoff")]
    private static partial void Disconnected(ILogger logger, string leader, Uri url, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the tracking position of {Leader}: {Error}")]
    private static partial void TrackingUnreadable(ILogger logger, string leader, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Policy failed on notification {NotificationId} of {Leader}: {Error}")]
    private static partial void PolicyFailed(ILogger logger, string leader, long notificationId, string error, Exception? exception);
}
