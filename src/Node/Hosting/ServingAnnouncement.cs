using EventSourcing.Grpc.Hosting;
using EventSourcing.Node.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventSourcing.Node.Hosting;

/// <summary>
/// Says once, on standard output, that the node serves (<see cref="NodeAnnouncements.Serving"/>): when the store
/// health check, the one behind the node's gRPC health (the empty service name), first passes. It asks again with a
/// capped backoff while the store does not answer, and gives up when the node stops.
/// </summary>
internal static class ServingAnnouncement
{
    /// <summary>
    /// The store's first answer (on PostgreSQL: a connection opened and authenticated; the tables checked or made),
    /// begun while Kestrel starts, so that the node can say it serves soon after it listens. Whether the store answered
    /// is for the health check to say.
    /// </summary>
    public static Task OpenStoreAsync(Application application, CancellationToken stopping)
        => Task.Run(
            async () =>
            {
                try
                {
                    await application.Log.MaxNotificationIdAsync(stopping);
                }
                catch (Exception)
                {
                    // Only a head start: whatever kept the store from answering (down, misconfigured, the node
                    // stopping), the health check asks again and says why.
                }
            },
            CancellationToken.None);

    public static async Task RunAsync(Task storeOpened, HealthCheckService health, string application, CancellationToken stopping)
    {
        await storeOpened;
        var backoff = new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));
        try
        {
            while (true)
            {
                var report = await health.CheckHealthAsync(check => check.Name == StoreHealthCheck.Name, stopping);
                if (report.Status == HealthStatus.Healthy)
                {
                    Console.WriteLine(NodeAnnouncements.Serving(application, Environment.ProcessId));
                    return;
                }

                await Task.Delay(backoff.Next(), stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The node stopped before its store answered: nothing to say.
        }
    }
}
