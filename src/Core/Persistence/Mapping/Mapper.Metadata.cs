using System.Text.Json;

namespace EventSourcing;

public sealed partial class Mapper
{
    private static readonly JsonSerializerOptions MetadataJson = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Metadata as it is stored: JSON, compressed and encrypted like the state.</summary>
    public byte[] EncodeMetadata(EventMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return Encode(JsonSerializer.SerializeToUtf8Bytes(metadata, MetadataJson));
    }

    /// <summary>Stored metadata back as JSON (decrypted and decompressed); null for an event recorded without metadata.</summary>
    public byte[]? DecodeMetadataToJson(byte[]? metadata) => metadata is null ? null : DecodeToJson(metadata);

    /// <summary>Stored metadata back as <see cref="EventMetadata"/>; null for an event recorded without metadata.</summary>
    public EventMetadata? DecodeMetadata(byte[]? metadata)
    {
        if (DecodeMetadataToJson(metadata) is not { } json)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<EventMetadata>(json, MetadataJson)
                ?? throw new DecodingException("Stored event metadata is the JSON null, not an object");
        }
        catch (JsonException ex)
        {
            throw new DecodingException($"Stored event metadata is not valid JSON for {nameof(EventMetadata)}: {ex.Message}", ex);
        }
    }
}
