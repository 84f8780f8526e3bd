namespace EventSourcing;

/// <summary>
/// Processes followers synchronously: a command that saves events returns only after every follower
/// (and their followers) has processed them. A processing error is raised to that command's caller,
/// stops the runner, and is raised again by <see cref="InProcessRunner.StopAsync"/>.
/// </summary>
/// <remarks>Meant for one caller at a time, as in tests and scripts.</remarks>
public sealed class SingleThreadedRunner(EventSystem system, IReadOnlyDictionary<string, string>? env = null)
    : InProcessRunner(system, env)
{
    private readonly Queue<string> _prompts = new();
    private readonly SemaphoreSlim _draining = new(1, 1);

    protected override async Task OnStartedAsync(CancellationToken cancellationToken)
    {
        foreach (var leader in System.Leaders)
        {
            var name = leader;
            Applications[name].AddRecordingListener((_, ct) => PromptAsync(name, ct));
        }

        // Catch up with events recorded before the runner started.
        foreach (var leader in System.Leaders)
        {
            await PromptAsync(leader, cancellationToken);
        }
    }

    protected override Task OnStoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task PromptAsync(string leader, CancellationToken cancellationToken)
    {
        lock (_prompts)
        {
            if (HasFailed || !IsStarted)
            {
                return;
            }

            _prompts.Enqueue(leader);
        }

        // A save made while processing (a follower's own events) only queues its prompt; the outermost call drains.
        while (_draining.Wait(0))
        {
            try
            {
                await DrainAsync(cancellationToken);
            }
            finally
            {
                _draining.Release();
            }

            lock (_prompts)
            {
                if (_prompts.Count == 0)
                {
                    return;
                }
            }
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string leader;
            lock (_prompts)
            {
                if (!_prompts.TryDequeue(out leader!))
                {
                    return;
                }
            }

            foreach (var edge in Edges.Where(e => e.Leader.Name == leader))
            {
                try
                {
                    await CatchUpAsync(edge, cancellationToken);
                }
                catch (Exception ex)
                {
                    lock (_prompts)
                    {
                        _prompts.Clear();
                    }

                    Fail(ex);
                    throw;
                }
            }
        }
    }
}
