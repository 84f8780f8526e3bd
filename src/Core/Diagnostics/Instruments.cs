using System.Diagnostics.Metrics;

namespace EventSourcing.Diagnostics;

/// <summary>
/// The instruments Core records to. Each records nothing, and allocates nothing, while no listener is attached
/// (<see cref="Instrument.Enabled"/>).
/// </summary>
internal static class Instruments
{
    private static readonly Counter<long> EventsRecorded = Telemetry.Meter.CreateCounter<long>(
        TelemetryNames.EventsRecorded, "{event}", "Events recorded (committed) by an application: its commands' and its policies'");

    private static readonly Counter<long> NotificationsProcessed = Telemetry.Meter.CreateCounter<long>(
        TelemetryNames.NotificationsProcessed, "{notification}", "A leader's notifications a follower processed and tracked");

    private static readonly Histogram<double> CommitDuration = Telemetry.Meter.CreateHistogram(
        TelemetryNames.CommitDuration,
        "s",
        "How long one commit of a SQL store took, writes committed together counted once",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Histogram<int> CommitWrites = Telemetry.Meter.CreateHistogram(
        TelemetryNames.CommitWrites,
        "{write}",
        "How many writes one commit of a SQL store took together",
        tags: null,
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 100] });

    private static readonly Counter<long> CommitAnnouncementsFailed = Telemetry.Meter.CreateCounter<long>(
        TelemetryNames.CommitAnnouncementsFailed,
        "{notification}",
        "Notifications of commits to listeners in other processes that failed: those hear of the commits when they next read the log's maximum");

    public static void CommitAnnouncementFailed(string application, string store, Exception error)
    {
        if (CommitAnnouncementsFailed.Enabled)
        {
            CommitAnnouncementsFailed.Add(
                1,
                new KeyValuePair<string, object?>(TelemetryNames.ApplicationTag, application),
                new KeyValuePair<string, object?>(TelemetryNames.StoreTag, store),
                new KeyValuePair<string, object?>(TelemetryNames.ErrorTypeTag, error.GetType().FullName));
        }
    }

    public static void EventsWereRecorded(string application, int count)
    {
        if (count > 0 && EventsRecorded.Enabled)
        {
            EventsRecorded.Add(count, new KeyValuePair<string, object?>(TelemetryNames.ApplicationTag, application));
        }
    }

    public static void NotificationsWereProcessed(string follower, string leader, int count)
    {
        if (count > 0 && NotificationsProcessed.Enabled)
        {
            NotificationsProcessed.Add(
                count,
                new KeyValuePair<string, object?>(TelemetryNames.ApplicationTag, follower),
                new KeyValuePair<string, object?>(TelemetryNames.LeaderTag, leader));
        }
    }

    /// <summary>Records a commit of <paramref name="writes"/> writes that began at <paramref name="startedTimestamp"/> (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public static void Committed(string store, int writes, long startedTimestamp)
    {
        var storeTag = new KeyValuePair<string, object?>(TelemetryNames.StoreTag, store);
        if (CommitDuration.Enabled)
        {
            CommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, storeTag);
        }

        if (CommitWrites.Enabled)
        {
            CommitWrites.Record(writes, storeTag);
        }
    }
}
