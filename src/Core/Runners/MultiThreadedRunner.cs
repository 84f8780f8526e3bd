namespace EventSourcing;

/// <summary>
/// Runs one worker per follower, woken by its leaders' new recordings (no polling). Commands return
/// before followers have processed their events: use <see cref="InProcessRunner.WaitForCatchUpAsync"/>.
/// A processing error stops every worker and is re-raised by <see cref="InProcessRunner.WaitForCatchUpAsync"/>
/// and <see cref="InProcessRunner.StopAsync"/>.
/// </summary>
public sealed class MultiThreadedRunner(EventSystem system, IReadOnlyDictionary<string, string>? env = null)
    : InProcessRunner(system, env)
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _workers = [];

    protected override Task OnStartedAsync(CancellationToken cancellationToken)
    {
        foreach (var follower in System.Followers)
        {
            var edges = Edges.Where(e => e.Follower.Name == follower).ToArray();
            _workers.Add(Task.Run(() => RunWorkerAsync(edges, _stopping.Token), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    protected override async Task OnStoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_workers).WaitAsync(cancellationToken);
        _stopping.Dispose();
    }

    private async Task RunWorkerAsync(Edge[] edges, CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var progressed = false;
                foreach (var edge in edges)
                {
                    if (await PullAsync(edge, stopping))
                    {
                        progressed = true;
                        ReportProgress();
                    }
                }

                if (!progressed)
                {
                    await WaitForAnyLeaderAsync(edges, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Fail(ex);
            await _stopping.CancelAsync();
        }
    }

    private static async Task WaitForAnyLeaderAsync(Edge[] edges, CancellationToken stopping)
    {
        if (edges.Length == 1)
        {
            await edges[0].Leader.Signal.WaitBeyondAsync(edges[0].Position, stopping);
            return;
        }

        using var woken = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var waits = edges.Select(e => e.Leader.Signal.WaitBeyondAsync(e.Position, woken.Token)).ToArray();
        await Task.WhenAny(waits);
        await woken.CancelAsync();
        stopping.ThrowIfCancellationRequested();
    }
}
