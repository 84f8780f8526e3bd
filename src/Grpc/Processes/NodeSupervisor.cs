namespace EventSourcing.Grpc.Processes;

/// <summary>
/// Keeps one node running: when it exits without being asked to, says so and starts it again with capped
/// exponential backoff (reset once it has stayed up for a while).
/// </summary>
public sealed class NodeSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    private readonly string _nodeAssembly;
    private readonly Action<string, string> _output;
    private readonly Action<string> _say;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private NodeProcess _current;
    private Task? _watching;

    public NodeSupervisor(string nodeAssembly, NodeSpec spec, Action<string, string> output, Action<string> say)
    {
        ArgumentNullException.ThrowIfNull(spec);
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
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), jitter: false);
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

            if (DateTime.UtcNow - startedAt > StableAfter)
            {
                backoff.Reset();
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
