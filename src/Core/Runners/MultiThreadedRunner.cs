namespace EventSourcing;

/// <summary>
/// Runs a <see cref="LeaderPipe"/> per leader of each follower, each woken by its leader's new recordings (no
/// polling). Commands return before followers have processed their events: use
/// <see cref="InProcessRunner.WaitForCatchUpAsync"/>. A processing error stops every pipe and is re-raised by
/// <see cref="InProcessRunner.WaitForCatchUpAsync"/> and <see cref="InProcessRunner.StopAsync"/>.
/// </summary>
public sealed class MultiThreadedRunner(EventSystem system, IReadOnlyDictionary<string, string>? env = null)
    : InProcessRunner(system, env)
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _pipes = [];

    protected override Task OnStartedAsync(CancellationToken cancellationToken)
    {
        foreach (var edge in Edges)
        {
            _pipes.Add(Task.Run(() => RunPipeAsync(edge.Pipe, _stopping.Token), CancellationToken.None));
        }

        // Commits to a leader's log by other processes (sharing its database) wake its followers too.
        foreach (var leader in System.Leaders)
        {
            _pipes.Add(Task.Run(() => WatchCommitsAsync(Applications[leader], _stopping.Token), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    protected override async Task OnStoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_pipes).WaitAsync(cancellationToken);
        _stopping.Dispose();
    }

    private async Task WatchCommitsAsync(Application leader, CancellationToken stopping)
    {
        try
        {
            await leader.WatchCommitsAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The runner is stopping.
        }
        catch (Exception ex)
        {
            // What the watcher does not retry (the database belongs to another application, say) fails the runner,
            // as a pipe's error does: reported once, by WaitForCatchUpAsync or StopAsync, not again by disposing.
            Fail(ex);
            await _stopping.CancelAsync();
        }
    }

    private async Task RunPipeAsync(LeaderPipe pipe, CancellationToken stopping)
    {
        await pipe.RunAsync(stopping);
        if (pipe.Error is { } error)
        {
            Fail(error);
            await _stopping.CancelAsync();
        }
    }
}
