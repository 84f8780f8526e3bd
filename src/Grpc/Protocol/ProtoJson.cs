using System.Buffers;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;

namespace EventSourcing.Grpc.Protocol;

/// <summary>
/// The JSON values of the wire (<see cref="Value"/>, <see cref="ListValue"/>) to and from System.Text.Json, directly:
/// written to and read from UTF-8 without formatting JSON text and parsing it again. Numbers are doubles on the wire,
/// as in JSON; a NaN or infinite number, which JSON cannot carry, is a <see cref="FormatException"/>.
/// </summary>
public static class ProtoJson
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The values of <paramref name="list"/> as one JSON array (an empty array for null).</summary>
    public static JsonDocument ToDocument(ListValue? list)
    {
        var buffer = RentBuffer();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            if (list is not null)
            {
                foreach (var value in list.Values)
                {
                    Write(writer, value);
                }
            }

            writer.WriteEndArray();
        }

        // The document keeps its own copy: the buffer is reused by the next call on this thread.
        return JsonDocument.Parse(buffer.WrittenMemory.ToArray());
    }

    /// <summary><paramref name="value"/> deserialized as <typeparamref name="T"/> with <paramref name="options"/>.</summary>
    public static T? Deserialize<T>(Value? value, JsonSerializerOptions options)
    {
        var buffer = RentBuffer();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value ?? Value.ForNull());
        }

        return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, options);
    }

    /// <summary>The wire form of one JSON value.</summary>
    public static Value ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => Value.ForNull(),
        JsonValueKind.True => Value.ForBool(true),
        JsonValueKind.False => Value.ForBool(false),
        JsonValueKind.Number => Value.ForNumber(element.GetDouble()),
        JsonValueKind.String => Value.ForString(element.GetString()!),
        JsonValueKind.Array => new Value { ListValue = ToListValue(element.EnumerateArray()) },
        JsonValueKind.Object => Value.ForStruct(ToStruct(element)),
        _ => throw new FormatException($"A JSON value of kind {element.ValueKind} has no wire form"),
    };

    /// <summary>The wire form of a JSON array.</summary>
    public static ListValue ToListValue(IEnumerable<JsonElement> elements)
    {
        var list = new ListValue();
        foreach (var element in elements)
        {
            list.Values.Add(ToValue(element));
        }

        return list;
    }

    private static Struct ToStruct(JsonElement obj)
    {
        var result = new Struct();
        foreach (var property in obj.EnumerateObject())
        {
            result.Fields[property.Name] = ToValue(property.Value);
        }

        return result;
    }

    private static void Write(Utf8JsonWriter writer, Value value)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.None:
            case Value.KindOneofCase.NullValue:
                writer.WriteNullValue();
                break;
            case Value.KindOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            case Value.KindOneofCase.NumberValue:
                if (!double.IsFinite(value.NumberValue))
                {
                    throw new FormatException($"The number {value.NumberValue} cannot be a JSON value: JSON numbers are finite");
                }

                writer.WriteNumberValue(value.NumberValue);
                break;
            case Value.KindOneofCase.StringValue:
                writer.WriteStringValue(value.StringValue);
                break;
            case Value.KindOneofCase.ListValue:
                writer.WriteStartArray();
                foreach (var item in value.ListValue.Values)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case Value.KindOneofCase.StructValue:
                writer.WriteStartObject();
                foreach (var (name, field) in value.StructValue.Fields)
                {
                    writer.WritePropertyName(name);
                    Write(writer, field);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new FormatException($"A wire value of kind {value.KindCase} is not JSON");
        }
    }

    private const int KeptBufferBytes = 64 * 1024;

    private static ArrayBufferWriter<byte> RentBuffer()
    {
        // One buffer per thread, kept while small: a large call's buffer is let go.
        var buffer = t_buffer;
        if (buffer is null || buffer.Capacity > KeptBufferBytes)
        {
            buffer = t_buffer = new ArrayBufferWriter<byte>(256);
        }

        buffer.ResetWrittenCount();
        return buffer;
    }
}
