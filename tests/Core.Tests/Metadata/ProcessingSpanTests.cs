using System.Collections.Concurrent;
using System.Diagnostics;
using EventSourcing.Diagnostics;
using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Tests.Metadata;

/// <summary>A process application's processing of a notification is a span in the trace of the command that recorded it.</summary>
public sealed class ProcessingSpanTests : IDisposable
{
    private const string CommandsName = "EventSourcing.Tests.Commands";

    // Listeners are matched by name: a listener made before this source exists is asked about it while it is being made.
    private static readonly ActivitySource Commands = new(CommandsName);
    private static readonly Dictionary<string, string> Popo = new() { ["PERSISTENCE_MODULE"] = "popo" };

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public ProcessingSpanTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is Telemetry.Name or CommandsName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task The_processing_span_is_a_child_of_the_commands_span_and_the_new_events_carry_its_trace_context()
    {
        await using var school = new DogSchool(Popo);
        await using var counters = new Counters(Popo);
        ActivityContext command;
        using (var span = Commands.StartActivity("AddTrick"))
        {
            Assert.NotNull(span);
            command = span.Context;
            await school.RegisterDogAsync("Billy");
            await school.AddTrickAsync("Billy", "roll over");
        }

        var notifications = await school.Log.SelectAsync(1, 10);
        Assert.All(notifications, n => Assert.Equal(command.TraceId, TraceIdOf(school.Mapper.DecodeMetadata(n.Metadata))));
        await counters.ProcessAsync("DogSchool", notifications);

        var processing = Assert.Single(_stopped, a => a.TraceId == command.TraceId && a.Source.Name == Telemetry.Name);
        Assert.Equal("process DogSchool dogschool:Dog.TrickAdded", processing.DisplayName);
        Assert.Equal(command.SpanId, processing.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, processing.Kind);
        var counterEvents = await counters.Log.SelectAsync(1, 10);
        Assert.NotEmpty(counterEvents);
        Assert.All(counterEvents, n => Assert.Equal(processing.Id, counters.Mapper.DecodeMetadata(n.Metadata)?.TraceParent));
    }

    [Fact]
    public async Task Without_a_trace_a_command_records_no_trace_context()
    {
        await using var school = new DogSchool(Popo);
        Activity.Current = null;

        await school.RegisterDogAsync("Billy");

        var metadata = school.Mapper.DecodeMetadata(Assert.Single(await school.Log.SelectAsync(1, 10)).Metadata);
        Assert.NotNull(metadata);
        Assert.Null(metadata.TraceParent);
        Assert.Null(metadata.TraceState);
    }

    private static ActivityTraceId? TraceIdOf(EventMetadata? metadata)
        => metadata is not null && metadata.TryGetTraceContext(out var context) ? context.TraceId : null;
}
