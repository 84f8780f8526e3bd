using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EventSourcing.Diagnostics;

namespace EventSourcing.Testing.Diagnostics;

/// <summary>
/// What the instruments of <see cref="Telemetry.Meter"/> record while this listens. The meter is the process's, so
/// a test picks its own measurements out by their tags (an application or leader name of its own).
/// </summary>
public sealed class RecordedMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _measured = new();

    public RecordedMeasurements()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == Telemetry.Meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of <paramref name="instrument"/> whose tags include all of <paramref name="tags"/>, oldest first.</summary>
    public IReadOnlyList<Measured> Of(string instrument, params (string Key, string Value)[] tags)
        => [.. _measured.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))];

    /// <summary>The sum of what <see cref="Of"/> gives: a counter's total.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    /// <summary>Observes the observable instruments (gauges) now and returns the latest value matching, if any.</summary>
    public double? Observe(string instrument, params (string Key, string Value)[] tags)
    {
        _listener.RecordObservableInstruments();
        return Of(instrument, tags) is { Count: > 0 } found ? found[^1].Value : null;
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags)
        {
            copied[key] = tagValue;
        }

        _measured.Enqueue(new Measured(instrument.Name, value, copied));
    }

    public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
}
