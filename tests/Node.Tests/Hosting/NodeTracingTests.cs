using System.Diagnostics;
using EventSourcing.Diagnostics;
using EventSourcing.Testing;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace EventSourcing.Node.Tests.Hosting;

/// <summary>
/// A node's traces through its OpenTelemetry wiring, as its exporters get them: what an OTLP collector would receive.
/// ASP.NET Core's instrumentation hears every web host of the process, so these tests run while no other test does.
/// </summary>
[Collection(nameof(NodeTracingTests))]
public sealed class NodeTracingTests : InMemoryNodeTests
{
    private readonly ExportedSpans _exported = new();

    [Fact]
    public async Task A_call_is_a_command_span_within_the_servers_span_and_health_checks_are_not_traced()
    {
        await using var node = await InMemoryNode.StartAsync(
            "DogSchool",
            InMemory,
            configure: options => options with { Otlp = true },
            configureHost: builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(_exported)));

        await node.Client.Health.CheckAsync(new HealthCheckRequest());
        await node.Client.Application.CallAsync(Request("RegisterDog", "Billy"));

        // The server's span ends after the response has gone: await its export.
        var spans = await Eventually.ReturnsAsync(
            () => Task.FromResult(_exported.ToList()),
            spans => spans.Any(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("Application/Call", StringComparison.Ordinal)),
            "the server's span of the call");
        var server = spans.Single(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("Application/Call", StringComparison.Ordinal));
        var command = Assert.Single(spans, s => s.DisplayName == "command DogSchool.RegisterDog");
        Assert.Equal(Telemetry.Name, command.Source.Name);
        Assert.Equal(server.TraceId, command.TraceId);
        Assert.Equal(server.SpanId, command.ParentSpanId);
        Assert.Equal(TelemetryNames.Ok, command.GetTagItem(TelemetryNames.OutcomeTag));
        Assert.DoesNotContain(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("grpc.health.v1", StringComparison.Ordinal));
    }

    private static EventSourcing.Grpc.V1.CallRequest Request(string method, params string[] args)
    {
        var request = new EventSourcing.Grpc.V1.CallRequest { Method = method, Args = new Google.Protobuf.WellKnownTypes.ListValue() };
        request.Args.Values.AddRange(args.Select(Google.Protobuf.WellKnownTypes.Value.ForString));
        return request;
    }

    /// <summary>The spans as they end, as an exporter gets them; safe to read while more arrive.</summary>
    private sealed class ExportedSpans : BaseProcessor<Activity>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<Activity> _ended = new();

        public List<Activity> ToList() => [.. _ended];

        public override void OnEnd(Activity data) => _ended.Enqueue(data);
    }
}

/// <summary>Runs <see cref="NodeTracingTests"/> alone, after the tests that run in parallel.</summary>
[CollectionDefinition(nameof(NodeTracingTests), DisableParallelization = true)]
public sealed class NodeTracingTestsRunAlone;
