using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventSourcing.Node.HealthChecks;

/// <summary>
/// The node's overall health: its store answers. While the database is down or unreachable, the node is
/// NOT_SERVING (it can answer no command), whatever its pipes do.
/// </summary>
internal sealed class StoreHealthCheck(Hosting.HostedApplication hosted) : IHealthCheck
{
    public const string Name = "store";

    /// <summary>How long the store has to answer before it counts as unreachable.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await hosted.Application.Log.MaxNotificationIdAsync(deadline.Token);
            return HealthCheckResult.Healthy();
        }
        catch (OperationalException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The store did not answer within {Timeout.TotalSeconds:0}s");
        }
    }
}
