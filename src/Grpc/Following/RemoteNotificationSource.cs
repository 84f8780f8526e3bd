using System.Runtime.CompilerServices;
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
        while (true)
        {
            bool received;
            try
            {
                received = await call.ResponseStream.MoveNext(cancellationToken);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw ErrorContract.ToException(ex, LeaderName);
            }

            if (!received)
            {
                yield break;
            }

            yield return ToBatch(call.ResponseStream.Current);
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
