using System.Text.Json;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Protocol;
using Proto = EventSourcing.Grpc.V1;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>
/// GrpcRunners for the shared runner suites, their nodes' logs in the test's output. Nodes find a system defined in
/// EventSourcing.Testing by its [SystemDefinition] name: the runner tells them the assembly that defines it.
/// </summary>
internal static class GrpcRunners
{
    public static GrpcRunner Create(EventSystem system, IReadOnlyDictionary<string, string> env, ITestOutputHelper output, bool pipelineCalls = false)
        => new(system, env, new GrpcRunnerOptions { PipelineCalls = pipelineCalls, Output = (name, line) => TestLog.Write(output, $"[{name}] {line}") });

    /// <summary>The notifications of <paramref name="application"/>'s node, with their metadata as the node decodes it (Read with decode).</summary>
    public static async Task<IReadOnlyList<(Notification Notification, EventMetadata? Metadata)>> ReadLogAsync(IRunner runner, string application)
    {
        var client = ((GrpcRunner)runner).Node(application).Client;
        var response = await client.Log.ReadAsync(new Proto.ReadRequest { Start = 1, Limit = 1000, Decode = true }, client.Headers);
        return [.. response.Notifications.Select(n => (
            NotificationMapping.FromProto(n),
            n.HasDecodedMetadata ? JsonSerializer.Deserialize<EventMetadata>(n.DecodedMetadata) : null))];
    }
}
