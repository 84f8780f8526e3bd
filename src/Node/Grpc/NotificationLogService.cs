using Grpc.Core;
using Proto = EventSourcing.Rpc.V1;

namespace EventSourcing.Node.Grpc;

/// <summary>Serves the hosted application's notification log: pages, and a stream that follows commits.</summary>
internal sealed class NotificationLogService(Hosting.HostedApplication hosted, IHostApplicationLifetime lifetime) : Proto.NotificationLog.NotificationLogBase
{
    /// <summary>The most notifications in one Subscribe frame.</summary>
    public const int FrameLimit = 500;

    /// <summary>A frame stops growing once its states add up to this many bytes, far below gRPC's message limits.</summary>
    public const int FrameBytes = 1 << 20;

    private Application Application => hosted.Application;

    public override async Task<Proto.ReadResponse> Read(Proto.ReadRequest request, ServerCallContext context)
    {
        var start = RequestValidation.Start(request.Start);
        var limit = RequestValidation.Limit(request.Limit);
        var stop = RequestValidation.Stop(request.HasStop, request.Stop);
        var topics = RequestValidation.Topics(request.Topics);
        var cancellationToken = context.CancellationToken;

        var max = await Application.Log.MaxNotificationIdAsync(cancellationToken);
        var notifications = await Application.Log.SelectAsync(start, limit, stop, topics, cancellationToken);
        var response = new Proto.ReadResponse { MaxNotificationId = NotificationMapping.ToWire(max) };
        var decodeWith = request.Decode ? Application.Mapper : null;
        foreach (var notification in notifications)
        {
            response.Notifications.Add(NotificationMapping.ToProto(notification, decodeWith));
        }

        return response;
    }

    /// <summary>
    /// Reads up to what is committed, sends it in frames, then waits on the application's commit signal; no polling.
    /// A frame's position tells a filtering follower how far the log was scanned even when nothing matched.
    /// </summary>
    public override async Task Subscribe(Proto.SubscribeRequest request, IServerStreamWriter<Proto.SubscribeResponse> responseStream, ServerCallContext context)
    {
        var next = RequestValidation.Start(request.Start);
        var topics = RequestValidation.Topics(request.Topics);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var cancellationToken = stopping.Token;
        var sentPosition = -1L;
        try
        {
            while (true)
            {
                // Read the maximum first: ids up to it are visible (commit order), so "nothing more up to max" is a safe position.
                var max = await Application.Log.MaxNotificationIdAsync(cancellationToken);
                var position = next - 1;
                if (next <= max)
                {
                    var notifications = await Application.Log.SelectAsync(next, FrameLimit, max, topics, cancellationToken);
                    position = notifications.Count < FrameLimit ? max : notifications[^1].Id;
                    foreach (var frame in Frames(notifications, position, max))
                    {
                        await responseStream.WriteAsync(frame, cancellationToken);
                    }

                    sentPosition = position;
                    next = position + 1;
                    if (position < max)
                    {
                        continue;
                    }
                }
                else if (sentPosition < 0)
                {
                    // Tell a follower that is already up to date where the log stands.
                    await responseStream.WriteAsync(new Proto.SubscribeResponse { Position = NotificationMapping.ToWire(position), MaxNotificationId = NotificationMapping.ToWire(max) }, cancellationToken);
                    sentPosition = position;
                }

                await Application.Signal.WaitBeyondAsync(Math.Max(position, max), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The follower went away or the node is stopping: the stream simply ends.
        }
    }

    private static IEnumerable<Proto.SubscribeResponse> Frames(IReadOnlyList<Notification> notifications, long position, long max)
    {
        var frame = new Proto.SubscribeResponse { MaxNotificationId = NotificationMapping.ToWire(max) };
        var bytes = 0;
        foreach (var notification in notifications)
        {
            if (frame.Notifications.Count > 0 && bytes + notification.State.Length > FrameBytes)
            {
                frame.Position = frame.Notifications[^1].Id;
                yield return frame;
                frame = new Proto.SubscribeResponse { MaxNotificationId = NotificationMapping.ToWire(max) };
                bytes = 0;
            }

            frame.Notifications.Add(NotificationMapping.ToProto(notification, decodeWith: null));
            bytes += notification.State.Length;
        }

        frame.Position = NotificationMapping.ToWire(position);
        yield return frame;
    }
}
