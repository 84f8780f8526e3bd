using System.Diagnostics;
using System.Text.Json;
using EventSourcing.Diagnostics;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Testing.Diagnostics;

namespace EventSourcing.Grpc.Tests.Hosting;

/// <summary>
/// A remote call as telemetry shows it: a span "command {Application}.{Method}" within which the events are recorded,
/// and a count by method and outcome.
/// </summary>
public sealed class CommandTelemetryTests : IAsyncLifetime
{
    private readonly RecordedSpans _spans = new();
    private readonly RecordedMeasurements _measurements = new();
    private readonly DogSchool _school = new(new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });

    // A name of this test's own for the application: spans and instruments are the process's.
    private readonly string _name = $"School{Guid.NewGuid():N}";
    private RemoteDispatcher _dispatcher = null!;

    public Task InitializeAsync()
    {
        _dispatcher = new RemoteDispatcher(_school, _name);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _spans.Dispose();
        _measurements.Dispose();
        await _school.DisposeAsync();
    }

    [Fact]
    public async Task A_command_is_a_span_current_while_its_events_are_recorded()
    {
        var recordedWithin = new List<string?>();
        _school.AddRecordingListener((_, _) =>
        {
            recordedWithin.Add(Activity.Current?.DisplayName);
            return Task.CompletedTask;
        });

        await _dispatcher.CallAsync("RegisterDog", Args("""["Billy"]"""));

        var span = Assert.Single(_spans.Named($"command {_name}.RegisterDog"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(_name, span.GetTagItem(TelemetryNames.ApplicationTag));
        Assert.Equal("RegisterDog", span.GetTagItem(TelemetryNames.MethodTag));
        Assert.Equal(TelemetryNames.Ok, span.GetTagItem(TelemetryNames.OutcomeTag));
        Assert.Equal([$"command {_name}.RegisterDog"], recordedWithin);
    }

    [Fact]
    public async Task A_command_span_is_a_child_of_the_span_current_when_it_was_called()
    {
        using var parent = new Activity("caller").Start();

        await _dispatcher.CallAsync("RegisterDog", Args("""["Billy"]"""));

        var span = Assert.Single(_spans.Named($"command {_name}.RegisterDog"));
        Assert.Equal(parent.TraceId, span.TraceId);
        Assert.Equal(parent.SpanId, span.ParentSpanId);
    }

    [Fact]
    public async Task A_failed_command_is_an_error_span_naming_the_exception()
    {
        await Assert.ThrowsAsync<AggregateNotFoundException>(() => _dispatcher.CallAsync("AddTrick", Args("""["Nobody", "roll over"]""")));

        var span = Assert.Single(_spans.Named($"command {_name}.AddTrick"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(TelemetryNames.Error, span.GetTagItem(TelemetryNames.OutcomeTag));
        Assert.Equal(typeof(AggregateNotFoundException).FullName, span.GetTagItem(TelemetryNames.ErrorTypeTag));
    }

    [Fact]
    public async Task Commands_are_counted_by_method_and_outcome()
    {
        await _dispatcher.CallAsync("RegisterDog", Args("""["Billy"]"""));
        await _dispatcher.CallAsync("AddTrick", Args("""["Billy", "roll over"]"""));
        await _dispatcher.CallAsync("AddTrick", Args("""["Billy", "fetch ball"]"""));
        await Assert.ThrowsAsync<AggregateNotFoundException>(() => _dispatcher.CallAsync("AddTrick", Args("""["Nobody", "roll over"]""")));
        await Assert.ThrowsAsync<RemoteArgumentException>(() => _dispatcher.CallAsync("AddTrick", Args("""["Billy"]""")));

        var app = (TelemetryNames.ApplicationTag, _name);
        Assert.Equal(1, _measurements.Sum(TelemetryNames.Commands, app, (TelemetryNames.MethodTag, "RegisterDog"), (TelemetryNames.OutcomeTag, TelemetryNames.Ok)));
        Assert.Equal(2, _measurements.Sum(TelemetryNames.Commands, app, (TelemetryNames.MethodTag, "AddTrick"), (TelemetryNames.OutcomeTag, TelemetryNames.Ok)));
        Assert.Equal(2, _measurements.Sum(TelemetryNames.Commands, app, (TelemetryNames.MethodTag, "AddTrick"), (TelemetryNames.OutcomeTag, TelemetryNames.Error)));
        Assert.Equal(1, _measurements.Sum(TelemetryNames.Commands, app, (TelemetryNames.ErrorTypeTag, typeof(RemoteArgumentException).FullName!)));
    }

    private static JsonElement Args(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
