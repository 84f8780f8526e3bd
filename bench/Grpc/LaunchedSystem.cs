using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Processes;

namespace EventSourcing.GrpcBench;

/// <summary>
/// The DogSchool system launched with the runner CLI (<c>es-runner run</c>, in es-runner-tool/ beside this program,
/// each application its own es-node), timed from the start of es-runner until it says the system is running (its
/// nodes healthy).
/// Disposing stops it as Ctrl-C would (SIGTERM), and kills it if it has not stopped in time.
/// </summary>
internal sealed partial class LaunchedSystem : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan LaunchDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    private readonly Process _runner;
    private readonly DirectoryInfo _dataDir;
    private readonly ConcurrentQueue<string> _recent;

    private LaunchedSystem(Process runner, DirectoryInfo dataDir, ConcurrentQueue<string> recent)
    {
        _runner = runner;
        _dataDir = dataDir;
        _recent = recent;
    }

    public TimeSpan LaunchToHealthy { get; private set; }

    /// <summary>Each node by application name: its pid and a client.</summary>
    public IReadOnlyDictionary<string, (int Pid, NodeClient Client)> Nodes { get; private set; } = new Dictionary<string, (int, NodeClient)>();

    public NodeClient School => Nodes["DogSchool"].Client;

    public NodeClient Counters => Nodes["Counters"].Client;

    public static async Task<LaunchedSystem> LaunchAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var dataDir = Directory.CreateTempSubdirectory("eventsourcing-grpcbench-");
        var start = new ProcessStartInfo(DotnetHost.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The store's settings (a PostgreSQL password among them) in an --env-file only this user can read, as es-runner
        // asks for secrets: never on a command line.
        var envFile = Path.Combine(dataDir.FullName, "bench.env");
        await File.WriteAllLinesAsync(envFile, environment.Select(e => $"{e.Key}={e.Value}"), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(envFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "es-runner-tool", "es-runner.dll"), "run", "--system", "DogSchool", "--data-dir", dataDir.FullName, "--env-file", envFile])
        {
            start.ArgumentList.Add(argument);
        }

        var recent = new ConcurrentQueue<string>();
        var nodes = new ConcurrentDictionary<string, (int, Uri)>(StringComparer.Ordinal);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new Process { StartInfo = start };
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            recent.Enqueue(line);
            while (recent.Count > 40)
            {
                recent.TryDequeue(out _);
            }

            if (NodeLine().Match(line) is { Success: true } node)
            {
                nodes[node.Groups[1].Value] = (int.Parse(node.Groups[2].Value, CultureInfo.InvariantCulture), new Uri(node.Groups[3].Value));
            }
            else if (line.StartsWith("system DogSchool running", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        }

        runner.OutputDataReceived += (_, e) => Line(e.Data);
        runner.ErrorDataReceived += (_, e) => Line(e.Data);
        var clock = Stopwatch.StartNew();
        runner.Start();
        runner.BeginOutputReadLine();
        runner.BeginErrorReadLine();
        var system = new LaunchedSystem(runner, dataDir, recent);
        string failure;
        try
        {
            // es-runner exiting (a refused setting, a node that failed) ends the wait at once, not at the deadline.
            var exited = runner.WaitForExitAsync(cancellationToken);
            await Task.WhenAny(running.Task, exited).WaitAsync(LaunchDeadline, cancellationToken);
            if (running.Task.IsCompleted)
            {
                system.LaunchToHealthy = clock.Elapsed;
                system.Nodes = nodes.ToDictionary(n => n.Key, n => (n.Value.Item1, new NodeClient(n.Value.Item2)), StringComparer.Ordinal);
                return system;
            }

            await exited;
            failure = $"es-runner exited with code {runner.ExitCode} before the system was running";
        }
        catch (TimeoutException)
        {
            failure = $"es-runner did not say the system was running within {LaunchDeadline.TotalSeconds:0}s";
        }

        var output = string.Join(Environment.NewLine, recent);
        await system.DisposeAsync();
        throw new BenchmarkException($"{failure}; it said:{Environment.NewLine}{output}");
    }

    /// <summary>The node's peak resident set so far (VmHWM), in MB; null where /proc does not say.</summary>
    public static double? PeakRssMb(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>The runner's last lines of output, for saying why something failed.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _recent);

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, client) in Nodes.Values)
        {
            client.Dispose();
        }

        if (!_runner.HasExited && (OperatingSystem.IsWindows() || Kill(_runner.Id, SigTerm) != 0))
        {
            _runner.Kill(entireProcessTree: true);
        }

        using (var grace = new CancellationTokenSource(StopGrace))
        {
            try
            {
                await _runner.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _runner.Kill(entireProcessTree: true);
                await _runner.WaitForExitAsync(CancellationToken.None);
            }
        }

        _runner.Dispose();
        _dataDir.Delete(recursive: true);
    }

    [GeneratedRegex(@"^node (\w+) pid (\d+) listening on (\S+)$")]
    private static partial Regex NodeLine();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>A measurement that could not be made, or whose system did not do what it was told.</summary>
internal sealed class BenchmarkException(string message, Exception? inner = null) : Exception(message, inner);
