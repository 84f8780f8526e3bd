using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventSourcing.Diagnostics;

/// <summary>
/// The one <see cref="System.Diagnostics.ActivitySource"/> and the one <see cref="System.Diagnostics.Metrics.Meter"/>
/// of the library, both named <see cref="Name"/>: what OpenTelemetry (or any listener) subscribes to by that name.
/// </summary>
public static class Telemetry
{
    /// <summary>The name of the activity source and of the meter: <c>EventSourcing</c>.</summary>
    public const string Name = "EventSourcing";

    /// <summary>Spans: a command's, and a follower's processing of a notification (a child of the command's, across processes).</summary>
    public static readonly ActivitySource ActivitySource = new(Name, Version);

    /// <summary>Instruments: commands, events recorded, notifications processed, pipe lag and state, commits.</summary>
    public static readonly Meter Meter = new(Name, Version);

    private static string Version => typeof(Telemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
