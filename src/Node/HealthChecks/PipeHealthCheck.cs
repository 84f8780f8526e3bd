using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventSourcing.Node.HealthChecks;

/// <summary>
/// One pipe's health, under the gRPC health service name <c>pipe/&lt;Leader&gt;</c>: NOT_SERVING while the pipe has
/// failed and stays stopped (a poison event, a replaced leader log). A pipe retrying after a fault is serving: it
/// recovers by itself.
/// </summary>
internal sealed class PipeHealthCheck(Following.FollowerService follower, string leader) : IHealthCheck
{
    public static string NameOf(string leader) => "pipe/" + leader;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = follower.Pipes.Single(p => p.Leader == leader).Status;
        return Task.FromResult(status.State == PipeState.Failed
            ? HealthCheckResult.Unhealthy(status.LastError)
            : HealthCheckResult.Healthy());
    }
}
