using System.Text;
using Google.Protobuf;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Grpc.Protocol;

/// <summary>Core notifications to and from their wire form.</summary>
public static class NotificationMapping
{
    /// <summary>
    /// The wire form; with <paramref name="decodeWith"/>, also the event's JSON when that mapper can decode the state.
    /// The message shares the notification's state and metadata arrays (a notification as read is never changed).
    /// </summary>
    public static Proto.Notification ToProto(Notification notification, Mapper? decodeWith = null)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var proto = new Proto.Notification
        {
            Id = ToWire(notification.Id),
            OriginatorId = notification.OriginatorId.ToString(),
            OriginatorVersion = (uint)notification.OriginatorVersion,
            Topic = notification.Topic,
            State = UnsafeByteOperations.UnsafeWrap(notification.State),
        };
        if (notification.Metadata is { } metadata)
        {
            proto.Metadata = UnsafeByteOperations.UnsafeWrap(metadata);
        }

        if (decodeWith is not null)
        {
            // Each left unset when it cannot be decoded: the contract is "when the node can decode it"; the raw bytes are still there.
            if (TryDecode(decodeWith, notification.State) is { } state)
            {
                proto.DecodedState = state;
            }

            if (notification.Metadata is { } stored && TryDecode(decodeWith, stored) is { } decoded)
            {
                proto.DecodedMetadata = decoded;
            }
        }

        return proto;
    }

    private static string? TryDecode(Mapper mapper, byte[] stored)
    {
        try
        {
            return Encoding.UTF8.GetString(mapper.DecodeToJson(stored));
        }
        catch (Exception ex) when (ex is DecodingException or System.Security.Cryptography.CryptographicException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The core form of a notification a node sent; a malformed one is a <see cref="DecodingException"/> naming it.</summary>
    public static Notification FromProto(Proto.Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!Guid.TryParse(notification.OriginatorId, out var originatorId))
        {
            throw new DecodingException($"Notification {notification.Id} has originator id '{notification.OriginatorId}', which is not a UUID");
        }

        if (notification.Id > long.MaxValue || notification.OriginatorVersion > int.MaxValue)
        {
            throw new DecodingException($"Notification {notification.Id} (version {notification.OriginatorVersion}) is beyond the range of ids and versions");
        }

        return new Notification(
            (long)notification.Id,
            originatorId,
            (int)notification.OriginatorVersion,
            notification.Topic,
            notification.State.ToByteArray(),
            // proto3 bytes cannot tell empty from absent; stored metadata is never empty (it is at least "{}").
            notification.Metadata.IsEmpty ? null : notification.Metadata.ToByteArray());
    }

    /// <summary>A notification id or position on the wire. Ids are never negative; a negative count (a lag) is sent as 0.</summary>
    public static ulong ToWire(long id) => id > 0 ? (ulong)id : 0;

    /// <summary>An id or position from the wire, as the store keeps it.</summary>
    public static long FromWire(ulong id)
        => id <= long.MaxValue ? (long)id : throw new DecodingException($"Notification id {id} is beyond the store's range (at most {long.MaxValue})");

    /// <summary>A log identity on the wire: the UUID as a lower-case string.</summary>
    public static string ToWire(Guid logId) => logId.ToString();
}
