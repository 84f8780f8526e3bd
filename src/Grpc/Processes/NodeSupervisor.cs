namespace EventSourcing.Grpc.Processes;

/// <summary>
/// Keeps one node running: when it exits without being asked to, says so and starts it again with capped
/// exponential backoff (reset once it has stayed up for a while), until it has died too often within a while
/// (see <see cref="RestartPolicy"/>); then it says so and gives up.
/// </summary>
public sealed class NodeSupervisor : IAsyncDisposable
{
    private readonly RestartPolicy _policy;
    private readonly TaskCompletionSource _gaveUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _nodeAssembly;
    private readonly Action<string, string> _output;
    private readonly Action<string> _say;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private NodeProcess _current;
    private Task? _watching;

    public NodeSupervisor(string nodeAssembly, NodeSpec spec, Action<string, string> output, Action<string> say, RestartPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _policy = policy ?? new RestartPolicy();
        _nodeAssembly = nodeAssembly;
        Spec = spec;
        _output = output;
        _say = say;
        _current = NodeProcess.Start(nodeAssembly, spec, output);
    }

    public NodeSpec Spec { get; }

    /// <summary>The process running now (a new one after each restart).</summary>
    public NodeProcess Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Raised with the new process after a restart.</summary>
    public event Action<NodeProcess>? Restarted;

    /// <summary>Completes when the supervisor has given up on the node: it died too often, and stays down.</summary>
    public Task GaveUp => _gaveUp.Task;

    /// <summary>Starts restarting the node whenever it exits unexpectedly.</summary>
    public void Watch() => _watching ??= Task.Run(() => WatchAsync(_stopping.Token));

    /// <summary>Stops the node for good (SIGTERM, then SIGKILL after <paramref name="grace"/>).</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        await _stopping.CancelAsync();
        if (_watching is not null)
        {
            await _watching;
        }

        await Current.StopAsync(grace, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        Current.Dispose();
        _stopping.Dispose();
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        var backoff = new Backoff(_policy.FirstDelay, _policy.MaxDelay, jitter: false);
        var exits = new Queue<DateTime>();
        var startedAt = DateTime.UtcNow;
        while (!stopping.IsCancellationRequested)
        {
            int exitCode;
            try
            {
                exitCode = await Current.Exited.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (stopping.IsCancellationRequested)
            {
                // Asked to stop while the node was exiting: an expected exit.
                return;
            }

            var now = DateTime.UtcNow;
            if (now - startedAt > _policy.StableAfter)
            {
                backoff.Reset();
            }

            exits.Enqueue(now);
            while (exits.Peek() < now - _policy.Window)
            {
                exits.Dequeue();
            }

            if (exits.Count > _policy.MaxRestarts)
            {
                _say($"node {Spec.Name} exited unexpectedly (exit code {exitCode}) {exits.Count} times within {_policy.Window.TotalSeconds:0.#}s; not restarting it again");
                _gaveUp.TrySetResult();
                return;
            }

            var delay = backoff.Next();
            _say($"node {Spec.Name} exited unexpectedly (exit code {exitCode}); restarting in {delay.TotalSeconds:0.#}s");
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var next = NodeProcess.Start(_nodeAssembly, Spec, _output);
            NodeProcess previous;
            lock (_lock)
            {
                previous = _current;
                _current = next;
            }

            previous.Dispose();
            startedAt = DateTime.UtcNow;
            _say($"node {Spec.Name} restarted: pid {next.Pid} listening on {Spec.Address}");
            Restarted?.Invoke(next);
        }
    }
}
