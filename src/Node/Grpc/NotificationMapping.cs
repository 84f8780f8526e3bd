using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Proto = EventSourcing.Rpc.V1;

namespace EventSourcing.Node.Grpc;

/// <summary>Core notifications to and from their wire form.</summary>
internal static class NotificationMapping
{
    public static Proto.Notification ToProto(Notification notification, Mapper? decodeWith)
    {
        var proto = new Proto.Notification
        {
            Id = ToWire(notification.Id),
            OriginatorId = notification.OriginatorId.ToString(),
            OriginatorVersion = (uint)notification.OriginatorVersion,
            Topic = notification.Topic,
            State = ByteString.CopyFrom(notification.State),
        };
        if (decodeWith is not null)
        {
            try
            {
                proto.DecodedState = Encoding.UTF8.GetString(decodeWith.DecodeToJson(notification.State));
            }
            catch (Exception ex) when (ex is DecodingException or System.Security.Cryptography.CryptographicException or InvalidDataException)
            {
                // Left unset: the contract is "when the node can decode it"; the raw state is still there.
            }
        }

        return proto;
    }

    public static Notification FromProto(Proto.Notification notification)
    {
        if (!Guid.TryParse(notification.OriginatorId, out var originatorId))
        {
            throw new DecodingException($"Notification {notification.Id} has originator id '{notification.OriginatorId}', which is not a UUID");
        }

        return new Notification(notification.Id, originatorId, checked((int)notification.OriginatorVersion), notification.Topic, notification.State.ToByteArray());
    }

    /// <summary>A notification id on the wire; the protocol's ids are 32-bit so that JSON shows them as numbers.</summary>
    public static uint ToWire(long id)
        => id is >= 0 and <= uint.MaxValue
            ? (uint)id
            : throw new RpcException(new Status(StatusCode.OutOfRange, $"Notification id {id} does not fit the protocol's 32-bit ids"));
}
