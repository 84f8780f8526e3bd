using System.Collections.Concurrent;
using System.Diagnostics;
using EventSourcing.Diagnostics;

namespace EventSourcing.Testing.Diagnostics;

/// <summary>
/// The spans of <see cref="Telemetry.ActivitySource"/> that end while this listens. The source is the process's, so a
/// test picks its own spans out (by a name of its own).
/// </summary>
public sealed class RecordedSpans : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public RecordedSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source == Telemetry.ActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans named <paramref name="name"/> that have ended, in the order they ended.</summary>
    public IReadOnlyList<Activity> Named(string name) => [.. _stopped.Where(a => a.DisplayName == name)];

    public void Dispose() => _listener.Dispose();
}
