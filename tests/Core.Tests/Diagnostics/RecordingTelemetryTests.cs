using EventSourcing.Diagnostics;
using EventSourcing.Testing.Diagnostics;
using EventSourcing.Testing.Runners.TestApps;

namespace EventSourcing.Tests.Diagnostics;

/// <summary>What recording tells the <c>EventSourcing</c> meter: the events recorded, and the SQL stores' commits.</summary>
public sealed class RecordingTelemetryTests : IDisposable
{
    private readonly RecordedMeasurements _measurements = new();

    public void Dispose() => _measurements.Dispose();

    [Fact]
    public async Task A_save_counts_the_events_it_recorded_by_application()
    {
        await using var diary = new Diary(new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });

        await diary.WriteManyAsync("monday", ["one", "two", "three"]);
        await diary.WriteAsync("tuesday", "four");

        Assert.Equal(await diary.GetMaxNotificationIdAsync(), _measurements.Sum(TelemetryNames.EventsRecorded, (TelemetryNames.ApplicationTag, "RecordingTelemetryDiary")));
    }

    [Fact]
    public async Task A_sql_store_records_each_commits_duration_and_how_many_writes_it_took()
    {
        await using var diary = new Diary(new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", ["SQLITE_DBNAME"] = ":memory:" });
        var before = _measurements.Of(TelemetryNames.CommitWrites, (TelemetryNames.StoreTag, "sqlite")).Count;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => diary.WriteAsync($"day {i}", "text")));

        var writes = _measurements.Of(TelemetryNames.CommitWrites, (TelemetryNames.StoreTag, "sqlite")).Skip(before).ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.InRange(w.Value, 1, 100));
        var durations = _measurements.Of(TelemetryNames.CommitDuration, (TelemetryNames.StoreTag, "sqlite"));
        Assert.NotEmpty(durations);
        Assert.All(durations, d => Assert.InRange(d.Value, 0, 60));
    }

    [ApplicationName("RecordingTelemetryDiary")]
    private sealed class Diary(IReadOnlyDictionary<string, string> env) : NotebookApplication(env);
}
