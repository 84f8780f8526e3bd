using System.Globalization;
using Grpc.Core;
using Proto = EventSourcing.Rpc.V1;

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
            MaxNotificationId = NotificationMapping.ToWire(await application.Log.MaxNotificationIdAsync(context.CancellationToken)),
            Url = hosted.Url,
            State = "running",
        };
        foreach (var pipe in follower.Pipes)
        {
            var snapshot = pipe.Snapshot();
            response.Leaders.Add(new Proto.LeaderStatus
            {
                Name = snapshot.Leader,
                Url = snapshot.Url.ToString(),
                Position = NotificationMapping.ToWire(snapshot.Position),
                LeaderMaxNotificationId = NotificationMapping.ToWire(snapshot.LeaderMaxNotificationId),
                Lag = NotificationMapping.ToWire(Math.Max(0, snapshot.LeaderMaxNotificationId - snapshot.Position)),
                State = snapshot.State.ToString().ToLower(CultureInfo.InvariantCulture),
                LastError = snapshot.LastError ?? string.Empty,
                Reconnects = (uint)snapshot.Reconnects,
            });
            if (snapshot.State == Following.PipeState.Failed)
            {
                response.State = "failed";
            }

            if (snapshot.LastError is not null)
            {
                response.LastError = snapshot.LastError;
            }
        }

        return response;
    }
}
