using System.Text.Json;

namespace EventSourcing;

/// <summary>
/// Turns domain events into stored events and back: JSON (UTF-8), then optional zlib compression,
/// then optional AES-GCM encryption.
/// </summary>
public sealed class Mapper(ICompressor? compressor = null, ICipher? cipher = null)
{
    public ICompressor? Compressor { get; } = compressor;

    public ICipher? Cipher { get; } = cipher;

    public StoredEvent ToStoredEvent(DomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var type = domainEvent.GetType();
        // The type info, not the type: the Type overload resolves and validates the root type on every call.
        var json = JsonSerializer.SerializeToUtf8Bytes(domainEvent, EventSourcingJson.Options.GetTypeInfo(type));
        return new StoredEvent(domainEvent.OriginatorId, domainEvent.OriginatorVersion, Topics.Of(type), Encode(json));
    }

    public DomainEvent ToDomainEvent(StoredEvent storedEvent)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        var type = Topics.Resolve(storedEvent.Topic);
        var json = DecodeToJson(storedEvent.State);
        DomainEvent? domainEvent;
        try
        {
            domainEvent = JsonSerializer.Deserialize(json, EventSourcingJson.Options.GetTypeInfo(type)) as DomainEvent;
        }
        catch (JsonException ex)
        {
            throw new DecodingException($"Stored state of {storedEvent.Topic} (aggregate {storedEvent.OriginatorId} v{storedEvent.OriginatorVersion}) is not valid JSON for {type.Name}: {ex.Message}", ex);
        }

        if (domainEvent is null)
        {
            throw new DecodingException($"Topic {storedEvent.Topic} resolves to {type.FullName}, which is not a domain event");
        }

        return domainEvent with
        {
            OriginatorId = storedEvent.OriginatorId,
            OriginatorVersion = storedEvent.OriginatorVersion,
        };
    }

    /// <summary>Compresses and encrypts serialized state, as configured.</summary>
    public byte[] Encode(byte[] json)
    {
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

        return data;
    }
}
