using System.ComponentModel;
using System.Diagnostics;

namespace EventSourcing.Grpc.Processes;

/// <summary>One running es-node process, its output relayed line by line.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _recentErrors = new();

    private NodeProcess(Process process)
    {
        _process = process;
    }

    public int Pid { get; private set; }

    /// <summary>Completes with the exit code when the process has exited.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>
    /// Completes when the node has said that it serves (<see cref="Hosting.NodeAnnouncements.Serving"/>: its store
    /// answered); never, if it does not say so.
    /// </summary>
    public Task Serving => _serving.Task;

    /// <summary>The last lines the process wrote to stderr, for error messages.</summary>
    public string RecentErrors
    {
        get
        {
            lock (_recentErrors)
            {
                return string.Join(Environment.NewLine, _recentErrors);
            }
        }
    }

    /// <summary>Starts es-node with the spec's arguments and environment, sending each line it prints to <paramref name="output"/>.</summary>
    public static NodeProcess Start(string nodeAssembly, NodeSpec spec, Action<string, string> output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        var start = new ProcessStartInfo(DotnetHost.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(nodeAssembly);
        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in spec.Environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                if (!node._serving.Task.IsCompleted && Hosting.NodeAnnouncements.IsServing(e.Data, spec.Name, node.Pid))
                {
                    node._serving.TrySetResult();
                }

                output(spec.Name, e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                node.RememberError(e.Data);
                output(spec.Name, e.Data);
            }
        };
        process.Exited += (_, _) => node.OnExited();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new ConfigurationException($"could not start es-node for {spec.Name}: {ex.Message} (put dotnet on the PATH, or set DOTNET_HOST_PATH to it)", ex);
        }

        node.Pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Asks the node to stop (SIGTERM), and kills it if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        if (!Signals.Terminate(Pid))
        {
            Kill();
        }

        try
        {
            await _exited.Task.WaitAsync(grace, cancellationToken);
        }
        catch (TimeoutException)
        {
            Kill();
            await _exited.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Kills the node at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnExited()
    {
        // Let the output readers drain before reporting the exit, so the last lines are not lost.
        _process.WaitForExit();
        _exited.TrySetResult(_process.ExitCode);
    }

    private void RememberError(string line)
    {
        lock (_recentErrors)
        {
            _recentErrors.Enqueue(line);
            if (_recentErrors.Count > 20)
            {
                _recentErrors.Dequeue();
            }
        }
    }
}
