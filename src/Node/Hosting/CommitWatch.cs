namespace EventSourcing.Node.Hosting;

/// <summary>
/// Publishes the commits that other processes make to the hosted application's log (another node of the same
/// application on a shared database, a script), so that Subscribe streams hear of them as of this node's own.
/// </summary>
internal sealed class CommitWatch(HostedApplication hosted) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await hosted.Application.WatchCommitsAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping.
        }
    }
}
