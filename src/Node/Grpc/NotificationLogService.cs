using System.Runtime.CompilerServices;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using Grpc.Core;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Node.Grpc;

/// <summary>Serves the hosted application's notification log: pages, and a stream that follows commits.</summary>
internal sealed class NotificationLogService(
    Hosting.HostedApplication hosted,
    NodeOptions options,
    SubscriberSlots subscribers,
    IHostApplicationLifetime lifetime)
    : Proto.NotificationLog.NotificationLogBase
{
    /// <summary>
    /// A frame or a page stops growing once its notifications add up to this many bytes (at least one notification),
    /// well below the 4 MiB a gRPC client accepts by default.
    /// </summary>
    public const int MessageBytes = 1 << 20;

    /// <summary>
    /// The frames of each batch, made once for all the streams the feed gives the same batch (those that follow every
    /// topic and have got as far), and forgotten with the batch.
    /// </summary>
    private static readonly ConditionalWeakTable<NotificationBatch, Proto.SubscribeResponse[]> SharedFrames = [];

    private Application Application => hosted.Application;

    public override async Task<Proto.ReadResponse> Read(Proto.ReadRequest request, ServerCallContext context)
    {
        var start = RequestValidation.Start(request.Start);
        var limit = RequestValidation.Limit(request.Limit);
        var stop = RequestValidation.Stop(request.HasStop, request.Stop);
        var topics = RequestValidation.Topics(request.Topics);
        if (request.Decode && !NodeSecurity.MayDecode(options))
        {
            throw ErrorContract.DecodeNotPermitted(NodeCommandLine.Address(options.Listen));
        }

        var cancellationToken = context.CancellationToken;

        var max = await Application.Log.MaxNotificationIdAsync(cancellationToken);
        var notifications = await Application.Log.SelectAsync(start, limit, stop, topics, cancellationToken);
        var response = new Proto.ReadResponse
        {
            MaxNotificationId = NotificationMapping.ToWire(max),
            LogId = NotificationMapping.ToWire(await Application.Log.GetLogIdAsync(cancellationToken)),
        };
        var decodeWith = request.Decode ? Application.Mapper : null;
        var bytes = 0;
        foreach (var notification in notifications)
        {
            var message = NotificationMapping.ToProto(notification, decodeWith);
            bytes += message.CalculateSize();
            if (response.Notifications.Count > 0 && bytes > MessageBytes)
            {
                // A short page: the reader goes on from the last id it got, as it does until max_notification_id.
                break;
            }

            response.Notifications.Add(message);
        }

        return response;
    }

    /// <summary>
    /// Sends what the application's feed gives, catching up and then following commits (no polling; one store read per
    /// commit serves every stream), each batch in one or more frames. A frame's position tells a filtering follower how
    /// far the log was scanned even when nothing matched. At most <c>--max-subscribers</c> streams at once.
    /// </summary>
    public override async Task Subscribe(Proto.SubscribeRequest request, IServerStreamWriter<Proto.SubscribeResponse> responseStream, ServerCallContext context)
    {
        var start = RequestValidation.Start(request.Start);
        var topics = RequestValidation.Topics(request.Topics);
        using var slot = subscribers.Take();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var cancellationToken = stopping.Token;
        try
        {
            await foreach (var batch in hosted.Feed.SubscribeAsync(start, topics, cancellationToken))
            {
                foreach (var frame in SharedFrames.GetValue(batch, static batch => [.. Frames(batch)]))
                {
                    await responseStream.WriteAsync(frame, cancellationToken);
                    SubscribeTelemetry.FrameSent(Application.Name);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The follower went away or the node is stopping: the stream simply ends.
        }
    }

    /// <summary>A batch as frames of at most <see cref="MessageBytes"/> of state and metadata each (but at least one notification).</summary>
    private static IEnumerable<Proto.SubscribeResponse> Frames(NotificationBatch batch)
    {
        var max = NotificationMapping.ToWire(batch.MaxNotificationId);
        var logId = NotificationMapping.ToWire(batch.LogId);
        var frame = new Proto.SubscribeResponse { MaxNotificationId = max, LogId = logId };
        var bytes = 0;
        foreach (var notification in batch.Notifications)
        {
            if (frame.Notifications.Count > 0 && bytes + Size(notification) > MessageBytes)
            {
                frame.Position = frame.Notifications[^1].Id;
                yield return frame;
                frame = new Proto.SubscribeResponse { MaxNotificationId = max, LogId = logId };
                bytes = 0;
            }

            frame.Notifications.Add(NotificationMapping.ToProto(notification));
            bytes += Size(notification);
        }

        frame.Position = NotificationMapping.ToWire(batch.Position);
        yield return frame;
    }

    private static int Size(Notification notification) => notification.State.Length + (notification.Metadata?.Length ?? 0);
}
