using System.Diagnostics;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using EventSourcing.Integration.Tests.Runners;
using EventSourcing.Testing.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// A command's trace reaches, through the events' metadata, the nodes its events are processed on: each node an
/// es-node process of a <see cref="GrpcRunner"/>, the trace context crossing gRPC from the caller to the leader, and
/// from the leader to the follower in the Subscribe stream.
/// </summary>
public sealed class TraceAcrossNodesTests(ITestOutputHelper output) : IDisposable
{
    private const string CallerName = "EventSourcing.Tests.Caller";

    private static readonly ActivitySource Caller = new(CallerName);

    private readonly ActivityListener _listener = Listen();

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task The_events_recorded_for_a_command_on_the_leader_and_the_follower_are_in_the_callers_trace()
    {
        await using var runner = GrpcRunners.Create(DogSchoolSystem.System, new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" }, output);
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();
        await school.RegisterDogAsync("Billy");

        ActivityTraceId trace;
        using (var span = Caller.StartActivity("add a trick"))
        {
            Assert.NotNull(span);
            trace = span.TraceId;
            await school.AddTrickAsync("Billy", "roll over");
        }

        await runner.CatchUpAsync();
        var trickAdded = (await GrpcRunners.ReadLogAsync(runner, "DogSchool")).Single(e => e.Notification.Topic == "dogschool:Dog.TrickAdded");
        Assert.Equal(trace, TraceIdOf(trickAdded.Metadata));
        var counterEvents = await GrpcRunners.ReadLogAsync(runner, "Counters");
        Assert.NotEmpty(counterEvents);
        Assert.All(counterEvents, e => Assert.Equal(trace, TraceIdOf(e.Metadata)));
        Assert.All(counterEvents, e => Assert.Equal(new Causation("DogSchool", trickAdded.Notification.Id), e.Metadata?.Causation));
        await runner.StopAsync();
    }

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CallerName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static ActivityTraceId? TraceIdOf(EventMetadata? metadata)
        => metadata is not null && metadata.TryGetTraceContext(out var context) ? context.TraceId : null;
}
