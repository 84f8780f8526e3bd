using System.Diagnostics;

namespace EventSourcing.GrpcBench;

/// <summary>
/// Several applications with tables of their own on one PostgreSQL server, each saving one event at a time through its
/// recorder, all at once: the commits of all of them together per second. They share the server's flushes to disk
/// unless something makes their commits take turns (as notifying inside the committing transaction did: PostgreSQL
/// holds its notification queue's lock, one for the whole cluster, from such a commit until its flush is done).
/// </summary>
internal static class ApplicationCommits
{
    /// <summary>How many applications write at once.</summary>
    public const int Applications = 8;

    public static async Task<double> MeasureAsync(Store store, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var scope = await store.Backend.OpenAsync(cancellationToken);
        var modules = new List<PersistenceModule>();
        try
        {
            for (var i = 1; i <= Applications; i++)
            {
                modules.Add(PersistenceModule.FromEnvironment(new ApplicationEnvironment($"Writer{i}", scope.Settings, includeProcessEnvironment: false)));
            }

            var recorders = modules.Select(m => m.CreateApplicationRecorder()).ToList();
            foreach (var recorder in recorders)
            {
                // The tables made and a connection open before the clock starts.
                await recorder.InsertEventsAsync([Event()], cancellationToken);
            }

            var commits = 0L;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(recorders.Select(recorder => Task.Run(
                async () =>
                {
                    while (clock.Elapsed < duration)
                    {
                        await recorder.InsertEventsAsync([Event()], cancellationToken);
                        Interlocked.Increment(ref commits);
                    }
                },
                cancellationToken)));
            return Interlocked.Read(ref commits) / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var module in modules)
            {
                await module.DisposeAsync();
            }
        }
    }

    private static StoredEvent Event() => new(Guid.NewGuid(), 1, "bench:Writer.Wrote", "{}"u8.ToArray());
}
