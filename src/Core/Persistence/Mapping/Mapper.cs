using System.Runtime.CompilerServices;
using System.Text.Json;

namespace EventSourcing;

/// <summary>
/// Turns domain events into stored events and back: JSON (UTF-8), then optional zlib compression,
/// then optional AES-GCM encryption. An event's JSON may be at most <see cref="MaxEventBytes"/> long, written or read.
/// </summary>
/// <param name="maxEventBytes">The most bytes of JSON one event may have. Default <see cref="DefaultMaxEventBytes"/>.</param>
public sealed partial class Mapper(ICompressor? compressor = null, ICipher? cipher = null, int maxEventBytes = Mapper.DefaultMaxEventBytes)
{
    /// <summary>The default of <see cref="MaxEventBytes"/> (and of <c>MAX_EVENT_BYTES</c>): 16 MiB.</summary>
    public const int DefaultMaxEventBytes = 16 << 20;

    public ICompressor? Compressor { get; } = compressor;

    /// <summary>
    /// The most bytes of JSON one event may have: a bigger one is refused when recorded (an
    /// <see cref="ArgumentException"/> naming its type), and a stored one bigger than this is not decoded (a
    /// <see cref="DecodingException"/>). The compressor caps decompression on its own (see <see cref="ZlibCompressor"/>).
    /// </summary>
    public int MaxEventBytes { get; } = maxEventBytes > 0
        ? maxEventBytes
        : throw new ArgumentOutOfRangeException(nameof(maxEventBytes), maxEventBytes, "must be 1 or more");

    public ICipher? Cipher { get; } = cipher;

    /// <summary>The stored event for <paramref name="domainEvent"/>, with <paramref name="metadata"/> (from <see cref="EncodeMetadata"/>) in its own column.</summary>
    public StoredEvent ToStoredEvent(DomainEvent domainEvent, byte[]? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var type = domainEvent.GetType();
        // The type info, not the type: the Type overload resolves and validates the root type on every call.
        var json = JsonSerializer.SerializeToUtf8Bytes(domainEvent, EventSourcingJson.Options.GetTypeInfo(type));
        if (json.Length > MaxEventBytes)
        {
            throw new ArgumentException(
                $"{type.Name} of aggregate {domainEvent.OriginatorId} v{domainEvent.OriginatorVersion} is {json.Length} bytes of JSON, more than " +
                $"the {MaxEventBytes} an event may have (MAX_EVENT_BYTES)",
                nameof(domainEvent));
        }

        return new StoredEvent(domainEvent.OriginatorId, domainEvent.OriginatorVersion, Topics.Of(type), Encode(json), metadata);
    }

    public DomainEvent ToDomainEvent(StoredEvent storedEvent)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        return ToDomainEvent(storedEvent.OriginatorId, storedEvent.OriginatorVersion, storedEvent.Topic, storedEvent.State);
    }

    /// <summary>Decodes a notification's event without first copying it into a <see cref="StoredEvent"/>.</summary>
    internal DomainEvent ToDomainEvent(Notification notification)
        => ToDomainEvent(notification.OriginatorId, notification.OriginatorVersion, notification.Topic, notification.State);

    private DomainEvent ToDomainEvent(Guid originatorId, int originatorVersion, string topic, byte[] state)
    {
        var type = Topics.Resolve(topic);
        var json = DecodeToJson(state);
        DomainEvent? domainEvent;
        try
        {
            domainEvent = JsonSerializer.Deserialize(json, EventSourcingJson.Options.GetTypeInfo(type)) as DomainEvent;
        }
        catch (JsonException ex)
        {
            throw new DecodingException($"Stored state of {topic} (aggregate {originatorId} v{originatorVersion}) is not valid JSON for {type.Name}: {ex.Message}", ex);
        }

        if (domainEvent is null)
        {
            throw new DecodingException($"Topic {topic} resolves to {type.FullName}, which is not a domain event");
        }

        // The event was just deserialized and nobody else holds it: stamping it in place saves a copy per event.
        SetOriginatorId(domainEvent, originatorId);
        SetOriginatorVersion(domainEvent, originatorVersion);
        return domainEvent;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_" + nameof(DomainEvent.OriginatorId))]
    private static extern void SetOriginatorId(DomainEvent domainEvent, Guid value);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_" + nameof(DomainEvent.OriginatorVersion))]
    private static extern void SetOriginatorVersion(DomainEvent domainEvent, int value);

    /// <summary>Compresses and encrypts serialized state, as configured.</summary>
    public byte[] Encode(byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxEventBytes)
        {
            throw new ArgumentException($"An event of {json.Length} bytes is more than the {MaxEventBytes} an event may have (MAX_EVENT_BYTES)", nameof(json));
        }

        var data = json;
        if (Compressor is not null)
        {
            data = Compressor.Compress(data);
        }

        if (Cipher is not null)
        {
            data = Cipher.Encrypt(data);
        }

        return data;
    }

    /// <summary>Decrypts and decompresses stored state back to its JSON bytes.</summary>
    public byte[] DecodeToJson(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var data = state;
        if (Cipher is not null)
        {
            data = Cipher.Decrypt(data);
        }

        if (Compressor is not null)
        {
            data = Compressor.Decompress(data);
        }

        if (data.Length > MaxEventBytes)
        {
            throw new DecodingException(
                $"Stored state of {data.Length} bytes is more than the {MaxEventBytes} an event may have (MAX_EVENT_BYTES): raise it if such events are meant");
        }

        return data;
    }
}
