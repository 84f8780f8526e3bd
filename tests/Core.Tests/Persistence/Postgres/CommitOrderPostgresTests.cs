using EventSourcing.Sql;
using EventSourcing.Testing.Persistence.Postgres;
using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence.Postgres;

/// <summary>
/// Notification ids become visible in order under contention, so a follower reading from its position + 1
/// never skips an event.
/// </summary>
public sealed class CommitOrderPostgresTests : IAsyncLifetime
{
    private const int Writers = 8;
    private const int BatchesPerWriter = 60;
    private const int EventsPerBatch = 10;
    private readonly PostgresTestModules _modules = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _modules.DisposeAsync().AsTask();

    [Fact]
    public async Task A_follower_reading_from_its_position_sees_every_id_of_eight_concurrent_writers_once_in_order()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var reader = Recorder();
        var start = await reader.MaxNotificationIdAsync(deadline.Token) + 1;

        // Half the writers save like applications, half record like followers (tracking rows with their events).
        var writing = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var recorder = Recorder();
            var id = Guid.NewGuid();
            var written = new List<long>();
            for (var batch = 0; batch < BatchesPerWriter; batch++)
            {
                var events = Events(id, batch * EventsPerBatch + 1, EventsPerBatch);
                written.AddRange(writer % 2 == 0
                    ? await recorder.InsertEventsAsync(events, deadline.Token)
                    : await recorder.InsertAsync(new RecordingBatch(events, [new Tracking($"upstream{writer}", batch + 1)]), deadline.Token));
            }

            return written;
        })).ToArray();

        var seen = new List<long>();
        var position = start - 1;
        while (true)
        {
            var writersDone = writing.All(w => w.IsCompleted);
            var page = await reader.SelectNotificationsAsync(position + 1, 100, cancellationToken: deadline.Token);
            foreach (var notification in page)
            {
                // Nothing failed, so no id was drawn and thrown away: each page continues exactly where the last ended.
                Assert.Equal(position + 1, notification.Id);
                position = notification.Id;
                seen.Add(notification.Id);
            }

            if (page.Count == 0 && writersDone)
            {
                break;
            }
        }

        var written = (await Task.WhenAll(writing)).SelectMany(ids => ids).Order().ToArray();
        Assert.Equal(Writers * BatchesPerWriter * EventsPerBatch, written.Length);
        Assert.Equal(written, seen);
    }

    private SqlProcessRecorder Recorder() => (SqlProcessRecorder)_modules.Create(applicationName: "Ordering").CreateProcessRecorder();
}
