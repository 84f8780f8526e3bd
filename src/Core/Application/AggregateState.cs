using System.Text.Json;

namespace EventSourcing;

/// <summary>Serializes whole aggregates, for snapshots, with <see cref="EventSourcingJson.Options"/>.</summary>
internal static class AggregateState
{
    public static byte[] Serialize(Aggregate aggregate)
        => JsonSerializer.SerializeToUtf8Bytes(aggregate, EventSourcingJson.Options.GetTypeInfo(aggregate.GetType()));

    public static Aggregate Deserialize(byte[] json, Type type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, EventSourcingJson.Options.GetTypeInfo(type)) as Aggregate
                ?? throw new DecodingException($"Stored state of a {type.Name} is empty");
        }
        catch (JsonException ex)
        {
            throw new DecodingException($"Stored state is not a valid {type.Name}: {ex.Message}", ex);
        }
    }
}
