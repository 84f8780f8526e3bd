using System.CommandLine;
using System.Runtime.InteropServices;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Processes;

namespace EventSourcing.Runner.Cli;

/// <summary><c>es-runner run</c>: starts a node per application, prints where they are, relays their logs, stops them on Ctrl-C or SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var system = new Option<string>("--system") { Description = "The system: a [SystemDefinition] name (e.g. DogSchool) or path/to/Assembly.dll:Namespace.Type", Required = true };
        var assembly = new Option<string[]>(NodeCommandLine.AssemblyOption)
        {
            Description = "An assembly that defines systems, to find --system in by name (repeatable; those beside es-runner are searched too)",
            AllowMultipleArgumentsPerToken = false,
        };
        var env = new Option<string[]>("--env") { Description = "KEY=VALUE for every node's environment (repeatable; not for secrets: use --env-file)" };
        var envFile = new Option<string?>("--env-file") { Description = "A file of KEY=VALUE lines for every node's environment, such as CIPHER_KEY (--env wins)" };
        var tokenFile = new Option<string?>(NodeCommandLine.TokenFileOption)
        {
            Description = $"A file of shared tokens, one per line: every node requires one, and the runner sends the first (default: ${NodeCommandLine.TokenVariable})",
        };
        var tlsCert = new Option<string?>(NodeCommandLine.TlsCertOption) { Description = "PEM certificate file every node serves https with" };
        var tlsKey = new Option<string?>(NodeCommandLine.TlsKeyOption) { Description = "PEM private key file for --tls-cert" };
        var tlsCa = new Option<string?>(NodeCommandLine.TlsCaOption) { Description = "PEM CA certificate the nodes' certificates are checked against (default: the system's roots)" };
        var insecure = new Option<bool>(NodeCommandLine.InsecureOption) { Description = "Allow a --host beyond loopback without a token" };
        var basePort = new Option<int?>("--base-port") { Description = "Node i listens on BASE+i (default: free ports)" };
        var metrics = new Option<bool>("--metrics") { Description = "Every node serves Prometheus metrics at /metrics, in plaintext, on a free port of --host (printed)" };
        var metricsBasePort = new Option<int?>("--metrics-base-port") { Description = "With --metrics: node i serves its metrics on BASE+i (implies --metrics)" };
        metricsBasePort.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } port && (port < 1 || port > 65535))
            {
                result.AddError($"--metrics-base-port must be a port, 1 to 65535, got {port}");
            }
        });
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Where the SQLite files go when no PERSISTENCE_MODULE is configured",
            DefaultValueFactory = _ => ".eventsourcing",
        };
        var host = new Option<string>("--host") { Description = "The address nodes listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var demo = new Option<bool>("--demo") { Description = "Run the dog school tutorial through the nodes, print the counts, stop" };
        var startTimeout = new Option<double>("--start-timeout") { Description = "Seconds the nodes have to become healthy", DefaultValueFactory = _ => 60 };
        var defaults = new RestartPolicy();
        var maxRestarts = new Option<int>("--max-restarts")
        {
            Description = $"How many times a node that dies is restarted within --restart-window before the runner gives up on it (default {defaults.MaxRestarts})",
            DefaultValueFactory = _ => defaults.MaxRestarts,
        };
        var restartWindow = new Option<double>("--restart-window")
        {
            Description = $"The window of --max-restarts, in seconds (default {defaults.Window.TotalSeconds})",
            DefaultValueFactory = _ => defaults.Window.TotalSeconds,
        };
        var maxRestartDelay = new Option<double>("--max-restart-delay")
        {
            Description = $"The longest wait, in seconds, before a node that died is restarted; the wait doubles from {defaults.FirstDelay.TotalSeconds}s up to it (default {defaults.MaxDelay.TotalSeconds})",
            DefaultValueFactory = _ => defaults.MaxDelay.TotalSeconds,
        };
        var command = new Command("run", "Start one node process per application of the system")
        {
            system, assembly, env, envFile, basePort, dataDir, host, demo, startTimeout, maxRestarts, restartWindow, maxRestartDelay,
            tokenFile, tlsCert, tlsKey, tlsCa, insecure, metrics, metricsBasePort,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            new Run(
                parsed.GetValue(system)!,
                parsed.GetValue(assembly) ?? [],
                parsed.GetValue(env) ?? [],
                parsed.GetValue(envFile),
                parsed.GetValue(basePort),
                parsed.GetValue(dataDir)!,
                parsed.GetValue(host)!,
                parsed.GetValue(demo),
                TimeSpan.FromSeconds(parsed.GetValue(startTimeout)),
                new RestartPolicy
                {
                    MaxRestarts = Math.Max(0, parsed.GetValue(maxRestarts)),
                    Window = TimeSpan.FromSeconds(Math.Max(0, parsed.GetValue(restartWindow))),
                    MaxDelay = TimeSpan.FromSeconds(Math.Max(defaults.FirstDelay.TotalSeconds, parsed.GetValue(maxRestartDelay))),
                },
                new Security(parsed.GetValue(tokenFile), parsed.GetValue(tlsCert), parsed.GetValue(tlsKey), parsed.GetValue(tlsCa), parsed.GetValue(insecure)),
                parsed.GetValue(metrics) || parsed.GetValue(metricsBasePort) is not null,
                parsed.GetValue(metricsBasePort)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Run run, CancellationToken cancellationToken)
    {
        var (systemSpec, assemblies, envPairs, envFile, basePort, dataDir, host, demo, startTimeout, restarts, security, metrics, metricsBasePort) = run;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var output = new ConsoleOutput();
        string? statePath = null;
        try
        {
            var (name, system) = SystemCatalog.Find(systemSpec, assemblies);
            var explicitEnv = RunnerCommandLine.ParsePairs("--env", envPairs);
            RunnerCommandLine.RefuseSecrets("--env", explicitEnv);
            var env = envFile is null ? [] : RunnerCommandLine.ReadEnvFile(envFile);
            foreach (var (key, value) in explicitEnv)
            {
                env[key] = value;
            }

            dataDir = Path.GetFullPath(dataDir);
            Directory.CreateDirectory(dataDir);
            if (AddDefaultPersistence(env, system, dataDir))
            {
                output.Say($"no PERSISTENCE_MODULE configured: each application keeps its events in a SQLite file in {dataDir}");
            }

            var options = new GrpcRunnerOptions
            {
                SystemSpec = systemSpec,
                Assemblies = [.. assemblies.Select(Path.GetFullPath)],
                Host = host,
                BasePort = basePort,
                StartTimeout = startTimeout,
                Restarts = restarts,
                Output = output.Relay,
                Say = output.Say,
                TokenFile = security.TokenFile,
                TlsCertificate = security.TlsCertificate,
                TlsKey = security.TlsKey,
                TlsCa = security.TlsCa,
                Insecure = security.Insecure,
                Metrics = metrics,
                MetricsBasePort = metricsBasePort,
            };
            await using var runner = new GrpcRunner(system, env, options);
            await runner.StartAsync(stopping.Token);
            // The state first: whoever reads the lines below may run `es-runner status` at once.
            statePath = RunnerState.PathFor(dataDir, name);
            await WriteStateAsync(runner, name, statePath, stopping.Token);
            foreach (var node in runner.Nodes)
            {
                output.Say($"node {node.Name} pid {node.Pid} listening on {node.Address}");
            }

            foreach (var node in runner.Nodes)
            {
                if (node.Supervisor.Spec.Options.Metrics is { } metricsUrl)
                {
                    output.Say($"node {node.Name} metrics on {NodeCommandLine.Address(metricsUrl)}/metrics");
                }
            }

            foreach (var node in runner.Nodes)
            {
                // Not once stopping: the state file goes with the runner.
                node.Supervisor.Restarted += restarted => _ = stopping.IsCancellationRequested ? Task.CompletedTask : WriteStateAsync(runner, name, statePath, CancellationToken.None);
            }

            if (demo)
            {
                await Demo.RunAsync(runner, output.Say, stopping.Token);
            }
            else
            {
                output.Say($"system {name} running; Ctrl-C stops it");
                var stopped = Task.Delay(Timeout.Infinite, stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                if (await Task.WhenAny(stopped, runner.AllNodesGaveUp) != stopped)
                {
                    output.Say($"every node of {name} is down and will not be restarted; stopping");
                    await runner.StopAsync(CancellationToken.None);
                    return 1;
                }

                output.Say("stopping");
            }

            await runner.StopAsync(CancellationToken.None);
            output.Say("stopped");
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            output.Say("stopped");
            return 0;
        }
        catch (EventSourcingException ex)
        {
            await Console.Error.WriteLineAsync($"es-runner: {ex.Message}");
            return 1;
        }
        finally
        {
            if (statePath is not null)
            {
                File.Delete(statePath);
            }
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    /// <summary>With no persistence configured, each application gets a SQLite file in the data directory. True when it did.</summary>
    private static bool AddDefaultPersistence(Dictionary<string, string> env, EventSystem system, string dataDir)
    {
        if (env.ContainsKey("PERSISTENCE_MODULE") || Environment.GetEnvironmentVariable("PERSISTENCE_MODULE") is { Length: > 0 })
        {
            return false;
        }

        env["PERSISTENCE_MODULE"] = "sqlite";
        foreach (var name in system.Nodes)
        {
            var key = $"{name.ToUpperInvariant()}_SQLITE_DBNAME";
            if (!env.ContainsKey(key) && Environment.GetEnvironmentVariable(key) is null)
            {
                env[key] = Path.Combine(dataDir, $"{name.ToLowerInvariant()}.sqlite");
            }
        }

        return true;
    }

    private static Task WriteStateAsync(GrpcRunner runner, string system, string path, CancellationToken cancellationToken)
        => new RunnerState(
                system,
                Environment.ProcessId,
                [.. runner.Nodes.Select(n => new RunnerState.Node(n.Name, n.Pid, n.Address, runner.System.Follows.GetValueOrDefault(n.Name) ?? []))])
            .WriteAsync(path, cancellationToken);

    /// <summary>What <c>run</c> was told on its command line.</summary>
    private sealed record Run(
        string SystemSpec,
        string[] Assemblies,
        string[] EnvPairs,
        string? EnvFile,
        int? BasePort,
        string DataDir,
        string Host,
        bool Demo,
        TimeSpan StartTimeout,
        RestartPolicy Restarts,
        Security Security,
        bool Metrics,
        int? MetricsBasePort);

    /// <summary>How the nodes are protected: see <see cref="GrpcRunnerOptions"/>.</summary>
    private sealed record Security(string? TokenFile, string? TlsCertificate, string? TlsKey, string? TlsCa, bool Insecure);
}
