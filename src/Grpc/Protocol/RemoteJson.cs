using System.Text.Json;

namespace EventSourcing.Grpc.Protocol;

/// <summary>How arguments and results of remote calls are written as JSON, on both ends (camelCase properties, case-insensitive reading).</summary>
public static class RemoteJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
