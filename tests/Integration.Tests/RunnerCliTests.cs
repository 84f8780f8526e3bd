using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Processes;
using EventSourcing.Testing;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// es-runner as a person runs it, in the test's own directory: node lines printed, every node healthy, SIGINT
/// stops everything, and with no persistence configured, SQLite files in ./.eventsourcing.
/// </summary>
public sealed partial class RunnerCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Run_prints_a_line_per_node_serves_them_and_stops_them_all_on_sigint()
    {
        using var runner = StartRunner("run", "--system", "DogSchool", "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo");
        var nodes = await NodeLinesAsync(runner, 2);

        Assert.Equal(["Counters", "DogSchool"], nodes.Keys.Order());
        foreach (var (_, url) in nodes.Values)
        {
            using var client = new NodeClient(new Uri(url));
            Assert.True(await client.IsServingAsync());
        }

        var (exitCode, status) = await StatusJsonAsync("status", "--system", "DogSchool", "--data-dir", _data.Path, "--json", "--interval", "0");
        Assert.Equal(0, exitCode);
        var edge = Assert.Single(status.GetProperty("edges").EnumerateArray());
        Assert.Equal(("DogSchool -> Counters", 0UL, 0UL), (EdgeName(edge), edge.GetProperty("position").GetUInt64(), edge.GetProperty("lag").GetUInt64()));

        Assert.Equal(0, Interrupt(runner.Process.Id));
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
        await runner.Process.WaitForExitAsync(deadline.Token);
        Assert.Equal(0, runner.Process.ExitCode);
        foreach (var (pid, _) in nodes.Values)
        {
            Assert.False(IsRunning(pid), $"node process {pid} is still running");
        }
    }

    [Fact]
    public async Task Run_with_demo_prints_the_tutorials_counts_and_exits()
    {
        var result = await RunToEndAsync("run", "--system", "DogSchool", "--demo", "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("count roll over = 3", result.Lines);
        Assert.Contains("count fetch ball = 2", result.Lines);
        Assert.Contains("count play dead = 1", result.Lines);
    }

    [Fact]
    public async Task Run_with_demo_and_no_persistence_configured_keeps_events_in_sqlite_files_and_can_run_again_on_them()
    {
        var first = await RunToEndAsync("run", "--system", "DogSchool", "--demo");

        Assert.Equal(0, first.ExitCode);
        var dataDir = Path.Combine(_data.Path, ".eventsourcing");
        Assert.Contains($"no PERSISTENCE_MODULE configured: each application keeps its events in a SQLite file in {dataDir}", first.Lines);
        Assert.True(File.Exists(Path.Combine(dataDir, "dogschool.sqlite")), "DogSchool's SQLite file in ./.eventsourcing");
        Assert.True(File.Exists(Path.Combine(dataDir, "counters.sqlite")), "Counters' SQLite file in ./.eventsourcing");
        Assert.Contains(first.Lines, l => l.StartsWith("RegisterDog Billy -> ee4f99b5-a356-54a9-b61a-13b59c26f3fb", StringComparison.Ordinal));
        Assert.Contains("count roll over = 3", first.Lines);
        Assert.Contains("count fetch ball = 2", first.Lines);
        Assert.Contains("count play dead = 1", first.Lines);

        var second = await RunToEndAsync("run", "--system", "DogSchool", "--demo");

        Assert.Equal(0, second.ExitCode);
        Assert.Contains(second.Lines, l => l.StartsWith("DogSchool already holds 9 events from earlier runs", StringComparison.Ordinal));
        Assert.Contains("RegisterDog Billy: already registered by an earlier run", second.Lines);
        Assert.Contains("count roll over = 6 (+3 this run)", second.Lines);
        Assert.Contains("count fetch ball = 4 (+2 this run)", second.Lines);
        Assert.Contains("count play dead = 2 (+1 this run)", second.Lines);
    }

    [Fact]
    public async Task Run_names_an_unknown_system()
    {
        var result = await RunToEndAsync("run", "--system", "NoSuchSystem", "--data-dir", _data.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(result.Lines, l => l.Contains("No system named 'NoSuchSystem'", StringComparison.Ordinal) && l.Contains("DogSchool", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_finds_a_users_system_by_name_in_the_assembly_given_and_runs_it()
    {
        using var runner = StartRunner("run", "--system", "LendingLibrary", "--assembly", UserSystemAssembly, "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo");
        var nodes = await NodeLinesAsync(runner, 2);

        Assert.Equal(["Catalogue", "Library"], nodes.Keys.Order());
        using var library = new NodeClient(new Uri(nodes["Library"].Url));
        using var catalogue = new NodeClient(new Uri(nodes["Catalogue"].Url));
        await library.Application.CallAsync(TestNode.Request("Acquire", "Dune"));
        await library.Application.CallAsync(TestNode.Request("Acquire", "Emma"));
        await Eventually.ReturnsAsync(
            async () => (await catalogue.Application.CallAsync(TestNode.Request("CountTitles"))).Result.NumberValue,
            count => count == 2,
            "the catalogue to count both titles");

        Assert.Equal(0, Interrupt(runner.Process.Id));
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
        await runner.Process.WaitForExitAsync(deadline.Token);
        Assert.Equal(0, runner.Process.ExitCode);
    }

    [Fact]
    public async Task Run_says_where_it_looked_for_a_system_it_cannot_find()
    {
        var result = await RunToEndAsync("run", "--system", "LendingLibrary", "--data-dir", _data.Path);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Lines);
        Assert.Contains("No system named 'LendingLibrary' (looked in the assemblies in ", line, StringComparison.Ordinal);
        Assert.Contains("--assembly PATH", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_names_a_system_definition_that_cannot_be_built_in_one_line()
    {
        var result = await RunToEndAsync("run", "--system", BrokenSystem.BrokenSystemDefinition.Reference, "--data-dir", _data.Path);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Lines);
        Assert.StartsWith("es-runner: The system EventSourcing.Integration.Tests.BrokenSystem.BrokenSystemDefinition could not be built: ", line, StringComparison.Ordinal);
        Assert.Contains("DogSchool", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_in_a_terminal_stops_every_node_once_and_leaves_no_state_file()
    {
        using var runner = StartRunner(ownProcessGroup: true, "run", "--system", "DogSchool", "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo");
        var nodes = await NodeLinesAsync(runner, 2);
        await LineAsync(runner, "system DogSchool running");

        var statePath = Path.Combine(_data.Path, "runner-dogschool.json");
        Assert.True(File.Exists(statePath), "the running system's state file");

        // Ctrl-C: SIGINT to every process of the foreground group, the nodes as well as the runner.
        Assert.Equal(0, Kill(-runner.Process.Id, 2));
        var lines = await RestOfLinesAsync(runner);

        Assert.Equal(0, runner.Process.ExitCode);
        Assert.DoesNotContain(lines, l => l.Contains("exited unexpectedly", StringComparison.Ordinal) || l.Contains("restart", StringComparison.Ordinal));
        Assert.Contains("stopped", lines);
        Assert.All(nodes.Values, node => Assert.False(IsRunning(node.Pid), $"node process {node.Pid} is still running"));
        Assert.False(File.Exists(statePath), "the state file is gone with the runner");
    }

    [Fact]
    public async Task A_node_that_keeps_dying_is_given_up_on_and_the_runner_stops_when_every_node_is_down()
    {
        using var runner = StartRunner("run", "--system", "DogSchool", "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo", "--max-restarts", "1");
        var nodes = await NodeLinesAsync(runner, 2);

        await KillUntilGivenUpAsync(runner, "DogSchool", nodes["DogSchool"].Pid);
        await KillUntilGivenUpAsync(runner, "Counters", nodes["Counters"].Pid);
        var lines = await RestOfLinesAsync(runner);

        Assert.Contains("every node of DogSchool is down and will not be restarted; stopping", lines);
        Assert.Equal(1, runner.Process.ExitCode);
    }

    public void Dispose() => _data.Dispose();

    /// <summary>Kills the node, and again after its restart, until the runner says it gives up on it.</summary>
    private static async Task KillUntilGivenUpAsync(RunnerProcess runner, string node, int pid)
    {
        var restarted = new Regex($@"^node {node} restarted: pid (\d+) listening on ");
        Assert.Equal(0, Kill(pid, 9));
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
        await foreach (var line in runner.LinesAsync(deadline.Token))
        {
            if (restarted.Match(line) is { Success: true } match)
            {
                Assert.Equal(0, Kill(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 9));
            }
            else if (line.StartsWith($"node {node} exited unexpectedly", StringComparison.Ordinal) && line.EndsWith("; not restarting it again", StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    /// <summary>Reads what the runner prints up to a line that starts with <paramref name="prefix"/>.</summary>
    private static async Task LineAsync(RunnerProcess runner, string prefix)
    {
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
        await foreach (var line in runner.LinesAsync(deadline.Token))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"es-runner ended without a line starting with '{prefix}'");
    }

    /// <summary>What the runner prints until it exits, and its exit.</summary>
    private static async Task<List<string>> RestOfLinesAsync(RunnerProcess runner)
    {
        var lines = new List<string>();
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
        await foreach (var line in runner.LinesAsync(deadline.Token))
        {
            lines.Add(line);
        }

        await runner.Process.WaitForExitAsync(deadline.Token);
        return lines;
    }

    /// <summary>The user's system of tests/UserSystem, built in its own directory (not beside es-runner).</summary>
    private static string UserSystemAssembly => Path.GetFullPath(typeof(RunnerCliTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "UserSystemAssembly").Value!);

    /// <summary>The <c>node NAME pid PID listening on URL</c> lines, once <paramref name="count"/> nodes have printed theirs.</summary>
    private static async Task<Dictionary<string, (int Pid, string Url)>> NodeLinesAsync(RunnerProcess runner, int count)
    {
        var nodes = new Dictionary<string, (int Pid, string Url)>();
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
        await foreach (var line in runner.LinesAsync(deadline.Token))
        {
            if (NodeLine().Match(line) is { Success: true } match)
            {
                nodes[match.Groups[1].Value] = (int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[3].Value);
            }

            if (nodes.Count == count)
            {
                break;
            }
        }

        return nodes;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private RunnerProcess StartRunner(params string[] args) => StartRunner(ownProcessGroup: false, args);

    /// <summary>
    /// es-runner, in a process group of its own when asked (as a shell starts a foreground job), so that a test
    /// can signal the whole group the way Ctrl-C in a terminal does, without signalling itself.
    /// </summary>
    private RunnerProcess StartRunner(bool ownProcessGroup, params string[] args)
        => new(Path.Combine(AppContext.BaseDirectory, "es-runner.dll"), _data.Path, args, line => TestLog.Write(output, line), ownProcessGroup);

    private Task<(int ExitCode, IReadOnlyList<string> Lines)> RunToEndAsync(params string[] args) => RunToEndAsync(null, args);

    private async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunToEndAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var runner = new RunnerProcess(Path.Combine(AppContext.BaseDirectory, "es-runner.dll"), _data.Path, args, line => TestLog.Write(output, line), environment: environment);
        var lines = new List<string>();
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline * 2);
        await foreach (var line in runner.LinesAsync(deadline.Token))
        {
            lines.Add(line);
        }

        await runner.Process.WaitForExitAsync(deadline.Token);
        return (runner.Process.ExitCode, lines);
    }

    private static int Interrupt(int pid) => Kill(pid, 2);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex(@"^node (\S+) pid (\d+) listening on (https?://\S+)$")]
    private static partial Regex NodeLine();

    /// <summary>es-runner in its own process, its stdout and stderr merged into one stream of lines; killed on dispose if still running.</summary>
    private sealed class RunnerProcess : IDisposable
    {
        private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        private int _open = 2;

        public RunnerProcess(
            string runnerAssembly,
            string workingDirectory,
            string[] args,
            Action<string> log,
            bool ownProcessGroup = false,
            IReadOnlyDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo(ownProcessGroup ? "setsid" : DotnetHost.Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };

            // Persistence is what each test says on the command line, whatever the environment of the test run holds.
            foreach (var key in start.Environment.Keys.Where(k => k.EndsWith("PERSISTENCE_MODULE", StringComparison.Ordinal) || k.EndsWith("SQLITE_DBNAME", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(key);
            }

            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }

            if (ownProcessGroup)
            {
                // setsid makes the runner the leader of a new session and process group, whose id is its pid.
                start.ArgumentList.Add(DotnetHost.Executable);
            }

            start.ArgumentList.Add(runnerAssembly);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            Process = new Process { StartInfo = start };
            DataReceivedEventHandler handler = (_, e) =>
            {
                if (e.Data is null)
                {
                    if (Interlocked.Decrement(ref _open) == 0)
                    {
                        _lines.Writer.TryComplete();
                    }

                    return;
                }

                log(e.Data);
                _lines.Writer.TryWrite(e.Data);
            };
            Process.OutputDataReceived += handler;
            Process.ErrorDataReceived += handler;
            Process.Start();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public IAsyncEnumerable<string> LinesAsync(CancellationToken cancellationToken = default) => _lines.Reader.ReadAllAsync(cancellationToken);

        public void Dispose()
        {
            try
            {
                Process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            Process.Dispose();
        }
    }
}
