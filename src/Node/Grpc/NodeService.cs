using EventSourcing.Grpc.Protocol;
using Grpc.Core;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Node.Grpc;

/// <summary>Reports what the node hosts and how far each of its pipes has got.</summary>
internal sealed class NodeService(Hosting.HostedApplication hosted, Following.FollowerService follower) : Proto.Node.NodeBase
{
    public override async Task<Proto.StatusResponse> Status(Proto.StatusRequest request, ServerCallContext context)
    {
        var application = hosted.Application;
        var response = new Proto.StatusResponse
        {
            Name = application.Name,
            System = hosted.SystemName,
            Role = hosted.Role,
            Pid = Environment.ProcessId,
            Persistence = application.PersistenceDescription,
            Url = hosted.Url,
            State = Proto.NodeState.Running,
        };
        try
        {
            response.MaxNotificationId = NotificationMapping.ToWire(await application.Log.MaxNotificationIdAsync(context.CancellationToken));
            response.LogId = NotificationMapping.ToWire(await application.Log.GetLogIdAsync(context.CancellationToken));
        }
        catch (OperationalException ex)
        {
            // Status tells what is wrong rather than failing itself: the pipes' state is still worth seeing.
            response.State = Proto.NodeState.StoreUnavailable;
            response.LastError = ex.Message;
        }

        foreach (var pipe in follower.Pipes)
        {
            var status = pipe.Status;
            response.Leaders.Add(new Proto.LeaderStatus
            {
                Name = status.Leader,
                Url = hosted.LeaderUrl(status.Leader),
                Position = NotificationMapping.ToWire(status.Position),
                LeaderMaxNotificationId = NotificationMapping.ToWire(status.LeaderMaxNotificationId),
                Lag = NotificationMapping.ToWire(status.Lag),
                State = ToProto(status.State),
                LastError = status.LastError ?? string.Empty,
                Reconnects = (uint)status.Reconnects,
                LeaderLogId = status.LeaderLogId is { } logId ? NotificationMapping.ToWire(logId) : string.Empty,
            });
            if (response.State == Proto.NodeState.StoreUnavailable)
            {
                continue;
            }

            if (status.State == PipeState.Failed)
            {
                response.State = Proto.NodeState.Failed;
            }

            if (status.LastError is not null)
            {
                response.LastError = status.LastError;
            }
        }

        return response;
    }

    /// <remarks>Answers from the store (the tracking rows as committed), not from the pipe's memory.</remarks>
    public override async Task<Proto.TrackingResponse> Tracking(Proto.TrackingRequest request, ServerCallContext context)
    {
        var leaders = hosted.System.LeadersOf(hosted.Application.Name);
        if (!leaders.Contains(request.Leader) || hosted.Application is not ProcessApplication follower)
        {
            var follows = leaders.Count == 0 ? "it follows no leader" : $"it follows {string.Join(", ", leaders)}";
            throw ErrorContract.BadRequest("leader", $"{hosted.Application.Name} does not follow '{request.Leader}': {follows}");
        }

        var start = RequestValidation.Start(request.Start);
        var limit = RequestValidation.Limit(request.Limit);
        var stop = RequestValidation.Stop(request.HasStop, request.Stop) ?? long.MaxValue;
        var cancellationToken = context.CancellationToken;
        var ids = await follower.Recorder.SelectTrackingIdsAsync(request.Leader, start, stop, limit, cancellationToken);
        var response = new Proto.TrackingResponse
        {
            MaxTrackingId = NotificationMapping.ToWire(await follower.Recorder.MaxTrackingIdAsync(request.Leader, cancellationToken)),
            AllTopics = follower.FollowTopics is null,
        };
        response.NotificationIds.AddRange(ids.Select(NotificationMapping.ToWire));
        response.Topics.AddRange(follower.FollowTopics ?? []);
        return response;
    }

    private static Proto.PipeState ToProto(PipeState state) => state switch
    {
        PipeState.Connecting => Proto.PipeState.Connecting,
        PipeState.Running => Proto.PipeState.Running,
        PipeState.Retrying => Proto.PipeState.Retrying,
        PipeState.Failed => Proto.PipeState.Failed,
        PipeState.Stopped => Proto.PipeState.Stopped,
        _ => Proto.PipeState.Unspecified,
    };
}
