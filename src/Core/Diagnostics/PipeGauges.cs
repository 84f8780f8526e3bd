using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EventSourcing.Diagnostics;

/// <summary>
/// The lag and state of every running <see cref="LeaderPipe"/> of the process, observed when a listener collects
/// (nothing is measured in between). A pipe is observed from the start of its <see cref="LeaderPipe.RunAsync"/> until
/// the token given to it is cancelled, so a pipe that failed is still seen, failed, while its node or runner runs.
/// </summary>
internal static class PipeGauges
{
    private static readonly PipeState[] States = Enum.GetValues<PipeState>();
    private static readonly string[] StateNames = [.. States.Select(s => s.ToString().ToLowerInvariant())];
    private static readonly ConcurrentDictionary<LeaderPipe, byte> Pipes = new();

    // Kept in fields: a listener finds an instrument through the meter, but the instrument must live.
    private static readonly ObservableGauge<long> Lag = Telemetry.Meter.CreateObservableGauge(
        TelemetryNames.PipeLag, ObserveLag, "{notification}", "How many notifications a follower is behind its leader, as last heard");

    private static readonly ObservableGauge<int> State = Telemetry.Meter.CreateObservableGauge(
        TelemetryNames.PipeState, ObserveState, "1", "1 for the state a follower's pipe is in, 0 for the others");

    /// <summary>
    /// Observes <paramref name="pipe"/> until <paramref name="until"/> is cancelled (for a token that cannot be, as long
    /// as the process runs).
    /// </summary>
    public static void Observe(LeaderPipe pipe, CancellationToken until)
    {
        if (Pipes.TryAdd(pipe, 0))
        {
            until.Register(static pipe => Pipes.TryRemove((LeaderPipe)pipe!, out _), pipe);
        }
    }

    private static IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var pipe in Pipes.Keys)
        {
            var status = pipe.Status;
            yield return new Measurement<long>(
                status.Lag,
                new KeyValuePair<string, object?>(TelemetryNames.ApplicationTag, pipe.Follower.Name),
                new KeyValuePair<string, object?>(TelemetryNames.LeaderTag, status.Leader));
        }
    }

    private static IEnumerable<Measurement<int>> ObserveState()
    {
        foreach (var pipe in Pipes.Keys)
        {
            var status = pipe.Status;
            for (var i = 0; i < States.Length; i++)
            {
                yield return new Measurement<int>(
                    States[i] == status.State ? 1 : 0,
                    new KeyValuePair<string, object?>(TelemetryNames.ApplicationTag, pipe.Follower.Name),
                    new KeyValuePair<string, object?>(TelemetryNames.LeaderTag, status.Leader),
                    new KeyValuePair<string, object?>(TelemetryNames.StateTag, StateNames[i]));
            }
        }
    }
}
