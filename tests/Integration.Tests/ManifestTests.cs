using System.Diagnostics;
using System.Net;
using System.Reflection;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Processes;
using EventSourcing.Grpc.V1;
using EventSourcing.Testing;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// <c>es-runner manifest</c>: the DogSchool system for Kubernetes, Docker Compose and systemd, compared with the files
/// checked in under Manifests/, read back and checked for what the orchestrator relies on, and (systemd) verified by
/// systemd-analyze and run.
/// </summary>
public sealed class ManifestTests(ITestOutputHelper output) : IDisposable
{
    private const string Token = "s3cret-token";
    private static readonly string[] CredentialOptions = ["--token-file", "--tls-cert", "--tls-key", "--tls-ca"];

    private readonly TempDirectory _data = new();

    public static TheoryData<string> Formats => new() { "kubernetes", "compose", "systemd" };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task The_DogSchool_manifest_is_the_one_checked_in(string format)
    {
        var written = _data.File(format);
        var regenerate = $"if the change is meant, write them again with: dotnet run --project src/Runner -- {string.Join(' ', GoldenArguments(format, $"tests/Integration.Tests/Manifests/{format}"))}";

        await ManifestAsync(GoldenArguments(format, written));

        var checkedIn = Path.Combine(ManifestsDirectory, format);
        Assert.True(
            Directory.GetFiles(checkedIn).Select(Path.GetFileName).Order().SequenceEqual(Directory.GetFiles(written).Select(Path.GetFileName).Order()),
            $"es-runner manifest --format {format} wrote other files than {checkedIn} holds; {regenerate}");
        foreach (var file in Directory.GetFiles(checkedIn))
        {
            var expected = await File.ReadAllLinesAsync(file);
            var actual = await File.ReadAllLinesAsync(Path.Combine(written, Path.GetFileName(file)));
            var line = Enumerable.Range(0, Math.Max(expected.Length, actual.Length)).FirstOrDefault(i => expected.ElementAtOrDefault(i) != actual.ElementAtOrDefault(i), -1);
            Assert.True(
                line < 0,
                $"{Path.GetFileName(file)} differs from the one checked in at line {line + 1}: expected '{expected.ElementAtOrDefault(line)}', written '{actual.ElementAtOrDefault(line)}'; {regenerate}");
        }
    }

    [Fact]
    public async Task Without_output_the_manifest_is_printed()
    {
        var printed = await ManifestAsync("--system", "DogSchool", "--format", "kubernetes");

        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(ManifestsDirectory, "kubernetes", "dogschool.yaml")), printed);
    }

    [Fact]
    public async Task Kubernetes_runs_each_application_as_run_would_with_grpc_probes_a_configmap_and_secrets_as_files()
    {
        var documents = Documents(await ManifestAsync("--system", "DogSchool", "--format", "kubernetes"));

        Assert.DoesNotContain(documents, d => Text(d, "kind") == "Secret");
        var configMap = Assert.Single(documents, d => Text(d, "kind") == "ConfigMap");
        var settings = Strings(configMap, "data");
        Assert.Equal("sqlite", settings["PERSISTENCE_MODULE"]);
        var commands = new Dictionary<string, List<string>>();
        foreach (var (application, i) in DogSchoolSystem.System.Nodes.Select((name, i) => (name, i)))
        {
            var name = application.ToLowerInvariant();
            var port = 5001 + i;
            var service = Assert.Single(documents, d => Text(d, "kind") == "Service" && Text(d, "metadata", "name") == name);
            var workload = Assert.Single(documents, d => Text(d, "kind") == "StatefulSet" && Text(d, "metadata", "name") == name);
            var pod = Node(workload, "spec", "template");
            var container = (YamlMappingNode)Assert.Single(Sequence(pod, "spec", "containers"));
            var command = commands[application] = Texts(container, "command");

            // As `run --base-port 5001` would: the application's name and port, its Service on that port, selecting its pods.
            Assert.Equal(application, Option(command, "--app"));
            Assert.Equal($"https://0.0.0.0:{port}", Option(command, "--listen"));
            Assert.Equal(port, Int(Single(service, "spec", "ports"), "port"));
            Assert.Equal(Strings(service, "spec", "selector"), Strings(pod, "metadata", "labels"));
            Assert.Equal(Strings(service, "spec", "selector"), Strings(workload, "spec", "selector", "matchLabels"));
            Assert.Equal(1, Int(workload, "spec", "replicas"));

            // Kubernetes' own gRPC probes, on the plaintext address where the node serves its health checks.
            var healthPort = new Uri(Option(command, "--health-listen")).Port;
            Assert.Equal("0.0.0.0", new Uri(Option(command, "--health-listen")).Host);
            Assert.Equal(healthPort, Int(container, "readinessProbe", "grpc", "port"));
            Assert.Equal(healthPort, Int(container, "livenessProbe", "grpc", "port"));
            Assert.Contains(Sequence(container, "ports"), p => Int(p, "containerPort") == healthPort);
            Assert.Contains(Sequence(container, "ports"), p => Int(p, "containerPort") == port);

            // Settings from the ConfigMap, secret settings from a Secret, both referred to by name.
            var envFrom = Sequence(container, "envFrom");
            Assert.Contains(envFrom, e => Text(e, "configMapRef", "name") == Text(configMap, "metadata", "name"));
            var secretSettings = Text(Assert.Single(envFrom, e => ((YamlMappingNode)e).Children.ContainsKey("secretRef")), "secretRef", "name");

            // The token and TLS files come from another Secret, mounted where the node's options read them.
            var credentialsVolume = Assert.Single(Sequence(pod, "spec", "volumes"), v => ((YamlMappingNode)v).Children.ContainsKey("secret"));
            Assert.NotEqual(secretSettings, Text(credentialsVolume, "secret", "secretName"));
            var credentialsMount = Assert.Single(Sequence(container, "volumeMounts"), m => Text(m, "name") == Text(credentialsVolume, "name"));
            Assert.Equal("true", Text(credentialsMount, "readOnly"));
            Assert.All(CredentialOptions, option => Assert.StartsWith(Text(credentialsMount, "mountPath") + "/", Option(command, option), StringComparison.Ordinal));

            // SQLite, the default: the application's file on a volume of its own that outlives the pod.
            var claim = Single(workload, "spec", "volumeClaimTemplates");
            var dataMount = Assert.Single(Sequence(container, "volumeMounts"), m => Text(m, "name") == Text(claim, "metadata", "name"));
            Assert.StartsWith(Text(dataMount, "mountPath") + "/", settings[$"{application.ToUpperInvariant()}_SQLITE_DBNAME"], StringComparison.Ordinal);
        }

        // Counters follows DogSchool at its Service's name and port.
        Assert.Equal("DogSchool=https://dogschool:5001", Option(commands["Counters"], "--leader"));
        Assert.DoesNotContain("--leader", commands["DogSchool"]);
    }

    [Fact]
    public async Task Kubernetes_runs_applications_on_postgres_as_deployments_without_volumes_and_those_on_sqlite_as_statefulsets()
    {
        var documents = Documents(await ManifestAsync(
            "--system", "DogSchool", "--format", "kubernetes",
            "--env", "PERSISTENCE_MODULE=postgres", "--env", "POSTGRES_HOST=postgres", "--env", "POSTGRES_DBNAME=eventsourcing", "--env", "POSTGRES_USER=es",
            "--env", "COUNTERS_PERSISTENCE_MODULE=sqlite"));

        var settings = Strings(Assert.Single(documents, d => Text(d, "kind") == "ConfigMap"), "data");
        Assert.Equal("postgres", settings["POSTGRES_HOST"]);
        Assert.False(settings.ContainsKey("DOGSCHOOL_SQLITE_DBNAME"));
        var school = Assert.Single(documents, d => Text(d, "metadata", "name") == "dogschool" && Text(d, "kind") != "Service");
        Assert.Equal("Deployment", Text(school, "kind"));
        Assert.Equal("Recreate", Text(school, "spec", "strategy", "type"));
        Assert.False(((YamlMappingNode)Node(school, "spec")).Children.ContainsKey("volumeClaimTemplates"));
        var container = Single(school, "spec", "template", "spec", "containers");
        Assert.DoesNotContain(Sequence(container, "volumeMounts"), m => Text(m, "name") == "data");
        var counters = Assert.Single(documents, d => Text(d, "metadata", "name") == "counters" && Text(d, "kind") != "Service");
        Assert.Equal("StatefulSet", Text(counters, "kind"));
        Assert.Equal("/var/lib/eventsourcing/counters.sqlite", settings["COUNTERS_SQLITE_DBNAME"]);
    }

    [Fact]
    public async Task Compose_starts_followers_once_their_leaders_are_healthy_by_es_nodes_own_health_check()
    {
        var compose = Documents(await ManifestAsync("--system", "DogSchool", "--format", "compose")).Single();

        var services = (YamlMappingNode)Node(compose, "services");
        Assert.Equal(["dogschool", "counters"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        foreach (var (application, i) in DogSchoolSystem.System.Nodes.Select((name, i) => (name, i)))
        {
            var service = Node(services, application.ToLowerInvariant());
            var command = Texts(service, "command");
            Assert.Equal(application, Option(command, "--app"));
            Assert.Equal($"https://0.0.0.0:{5001 + i}", Option(command, "--listen"));
            Assert.Equal([$"127.0.0.1:{5001 + i}:{5001 + i}"], Texts(service, "ports"));

            // The health check runs es-node inside the container against its plaintext health address.
            Assert.Equal([.. command.Take(2), "health", "--url", Option(command, "--health-listen")], Texts(service, "healthcheck", "test").Skip(1));
            Assert.Equal("CMD", Texts(service, "healthcheck", "test")[0]);

            // Secret settings from an env file, the credentials as secret files where the node's options read them.
            Assert.Equal(["secrets.env"], Texts(service, "env_file"));
            foreach (var option in CredentialOptions)
            {
                var secret = Assert.Single(Sequence(service, "secrets"), s => Text(s, "target") == Option(command, option));
                Assert.StartsWith("credentials/", Text(compose, "secrets", Text(secret, "source"), "file"), StringComparison.Ordinal);
            }

            // The settings, and the SQLite file on a volume of the application's own.
            var environment = Strings(service, "environment");
            Assert.Equal("sqlite", environment["PERSISTENCE_MODULE"]);
            var volume = Assert.Single(Texts(service, "volumes")).Split(':');
            Assert.StartsWith(volume[1] + "/", environment[$"{application.ToUpperInvariant()}_SQLITE_DBNAME"], StringComparison.Ordinal);
            Assert.True(((YamlMappingNode)Node(compose, "volumes")).Children.ContainsKey(volume[0]), $"the volume {volume[0]} is declared");
        }

        Assert.Equal("DogSchool=https://dogschool:5001", Option(Texts(services, "counters", "command"), "--leader"));
        Assert.Equal("service_healthy", Text(services, "counters", "depends_on", "dogschool", "condition"));
        Assert.False(((YamlMappingNode)Node(services, "dogschool")).Children.ContainsKey("depends_on"));
    }

    [Fact]
    public async Task Compose_runs_a_system_given_by_assembly_and_type_and_leaves_out_waits_that_would_go_round_a_cycle()
    {
        var type = typeof(Testing.Runners.TestApps.PingPongSystem);
        var assembly = Path.GetFileName(type.Assembly.Location);
        var compose = Documents(await ManifestAsync("--system", $"{type.Assembly.Location}:{type.FullName}", "--format", "compose")).Single();

        Assert.Equal("runnertests-pingpong", Text(compose, "name"));
        var services = (YamlMappingNode)Node(compose, "services");
        Assert.Equal(["ping", "pong"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.All(services.Children.Values, s => Assert.False(((YamlMappingNode)s).Children.ContainsKey("depends_on")));
        // In the image, the system's assembly is beside es-node.
        Assert.Equal($"/app/{assembly}:{type.FullName}", Option(Texts(services, "ping", "command"), "--system"));
        Assert.Equal("Pong=https://pong:5002", Option(Texts(services, "ping", "command"), "--leader"));
        Assert.Equal("Ping=https://ping:5001", Option(Texts(services, "pong", "command"), "--leader"));
    }

    /// <summary>
    /// systemd-analyze verify loads each unit as systemd would (settings, and the executable of ExecStart, which must
    /// exist: so the units are written for this machine's dotnet), and must say nothing about them.
    /// </summary>
    [Fact]
    public async Task Systemd_units_pass_systemd_analyze_verify_and_start_after_their_leaders()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        Assert.True(analyze is not null, "systemd-analyze is not installed (/usr/bin/systemd-analyze): install systemd (apt-get install systemd) to verify the units");
        var units = _data.File("units");
        await ManifestAsync("--system", "DogSchool", "--format", "systemd", "--dotnet", DotnetHost.Executable, "--output", units);

        var files = Directory.GetFiles(units, "*.service");
        Assert.Equal(["dogschool-counters.service", "dogschool-dogschool.service"], files.Select(Path.GetFileName).Order());
        var verify = new ProcessStartInfo(analyze) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = units };
        foreach (var argument in (string[])["verify", .. files])
        {
            verify.ArgumentList.Add(argument);
        }

        using var process = Process.Start(verify)!;
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
        var said = await process.StandardOutput.ReadToEndAsync(deadline.Token) + await process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0 && said.Length == 0, $"systemd-analyze verify exited with {process.ExitCode}: {said}");

        var counters = Unit(await File.ReadAllTextAsync(Path.Combine(units, "dogschool-counters.service")));
        Assert.Contains("dogschool-dogschool.service", counters["After"].Single().Split(' '));
        Assert.Contains("dogschool-dogschool.service", counters["Wants"].Single().Split(' '));
        Assert.Equal(["on-failure"], counters["Restart"]);
        Assert.Equal(["/etc/eventsourcing/dogschool/settings.env", "/etc/eventsourcing/dogschool/secrets.env"], counters["EnvironmentFile"]);
    }

    [Fact]
    public async Task Systemd_units_start_the_system_with_the_settings_secrets_and_token_from_their_files()
    {
        var config = _data.File("etc");
        var basePort = GrpcRunner.FreePort(IPAddress.Loopback);
        await ManifestAsync("--system", "DogSchool", "--format", "systemd", "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--config-dir", config, "--data-dir", _data.File("data"), "--output", config);
        await File.WriteAllTextAsync(Path.Combine(config, "token"), Token + "\n");
        await File.WriteAllTextAsync(Path.Combine(config, "secrets.env"), $"CIPHER_KEY={Convert.ToBase64String(new byte[32])}\n");

        var nodes = new List<Process>();
        try
        {
            foreach (var unit in new[] { "dogschool-dogschool.service", "dogschool-counters.service" })
            {
                nodes.Add(Start(Unit(await File.ReadAllTextAsync(Path.Combine(config, unit)))));
            }

            using var school = new NodeClient(new Uri($"http://127.0.0.1:{basePort}"), Token);
            using var counters = new NodeClient(new Uri($"http://127.0.0.1:{basePort + 1}"), Token);
            using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
            await school.WaitUntilServingAsync(null, deadline.Token);
            await counters.WaitUntilServingAsync(null, deadline.Token);

            await school.Application.CallAsync(TestNode.Request("RegisterDog", "Rex"), school.Headers);
            await school.Application.CallAsync(TestNode.Request("AddTrick", "Rex", "sit"), school.Headers);

            await Eventually.ReturnsAsync(
                async () => (await counters.Application.CallAsync(TestNode.Request("GetCount", "sit"), counters.Headers)).Result.NumberValue,
                count => count == 1,
                "Counters to count the trick");
            Assert.True(File.Exists(_data.File("data/dogschool.sqlite")), "DogSchool's SQLite file where settings.env says");
            // Encrypted with the cipher key of secrets.env, which Counters decrypted with.
            var registered = (await school.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 1 }, school.Headers)).Notifications.Single();
            Assert.DoesNotContain("Rex", registered.State.ToStringUtf8(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Kill();
                await node.WaitForExitAsync();
                node.Dispose();
            }
        }
    }

    [Theory]
    [InlineData(new[] { "--system", "DogSchool", "--format", "helm" }, "es-runner manifest: --format helm is not a format: use kubernetes, compose, systemd")]
    [InlineData(new[] { "--system", "NoSuchSystem", "--format", "kubernetes" }, "es-runner manifest: No system named 'NoSuchSystem'")]
    [InlineData(new[] { "--system", "DogSchool", "--format", "systemd", "--image", "es-node:1" }, "es-runner manifest: --image does not apply to --format systemd")]
    [InlineData(new[] { "--system", "DogSchool", "--format", "compose", "--host", "10.0.0.2" }, "es-runner manifest: --host does not apply to --format compose")]
    [InlineData(new[] { "--system", "DogSchool", "--format", "compose", "--env", "CIPHER_KEY=abc" }, "es-runner manifest: --env CIPHER_KEY=... would put a secret on the command line")]
    [InlineData(new[] { "--system", "DogSchool", "--format", "compose", "--env", "PERSISTENCE_MODULE=mongo" }, "es-runner manifest: Application DogSchool: PERSISTENCE_MODULE='mongo' is not a persistence module")]
    [InlineData(new[] { "--system", "DogSchool", "--format", "kubernetes", "--env", "DOGSCHOOL_SQLITE_DBNAME=/data/d.db" }, "es-runner manifest: Application DogSchool: DOGSCHOOL_SQLITE_DBNAME=/data/d.db is not in --data-dir /var/lib/eventsourcing")]
    [InlineData(new[] { "--system", "DogSchool", "--format", "systemd", "--base-port", "65535" }, "es-runner manifest: --base-port: port 65536 is not between 1 and 65535")]
    public async Task Bad_input_is_refused_with_a_message_naming_it_and_a_non_zero_exit(string[] args, string expected)
    {
        var result = await DotnetCommand.RunAsync("es-runner.dll", ["manifest", .. args]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(expected, result.Errors, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    public void Dispose() => _data.Dispose();

    private static string ManifestsDirectory => typeof(ManifestTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ManifestsDirectory").Value!;

    /// <summary>The checked-in manifests are written for fixed paths of dotnet and es-node, not this machine's.</summary>
    private static string[] GoldenArguments(string format, string output)
        => format == "systemd"
            ? ["manifest", "--system", "DogSchool", "--format", format, "--dotnet", "/usr/bin/dotnet", "--es-node", "/opt/eventsourcing/es-node.dll", "--output", output]
            : ["manifest", "--system", "DogSchool", "--format", format, "--output", output];

    /// <summary>Runs es-runner with the arguments (<c>manifest</c> added when missing) and returns what it printed; it must succeed.</summary>
    private async Task<string> ManifestAsync(params string[] args)
    {
        var result = await DotnetCommand.RunAsync("es-runner.dll", args[0] == "manifest" ? args : ["manifest", .. args]);
        output.WriteLine(result.Errors);
        Assert.True(result.ExitCode == 0, $"es-runner manifest exited with {result.ExitCode}: {result.Errors}");
        return result.Output;
    }

    /// <summary>Starts the unit's ExecStart with the environment its EnvironmentFiles give, as systemd would.</summary>
    private Process Start(IReadOnlyDictionary<string, List<string>> unit)
    {
        var command = unit["ExecStart"].Single().Split(' ');
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // systemd starts a service with little more than what its unit gives it: none of the test run's settings.
        foreach (var key in start.Environment.Keys.Where(k => k is not ("PATH" or "HOME") && !k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var line in unit["EnvironmentFile"].SelectMany(File.ReadAllLines).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            start.Environment[line[..line.IndexOf('=', StringComparison.Ordinal)]] = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => TestLog.Write(output, e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => TestLog.Write(output, e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A unit file's settings: every value of each key, in order (comments and section headers left out).</summary>
    private static Dictionary<string, List<string>> Unit(string text)
    {
        var settings = new Dictionary<string, List<string>>();
        foreach (var line in text.Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#')))
        {
            var key = line[..line.IndexOf('=', StringComparison.Ordinal)];
            (settings.TryGetValue(key, out var values) ? values : settings[key] = []).Add(line[(key.Length + 1)..]);
        }

        return settings;
    }

    private static List<YamlMappingNode> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            var map = Assert.IsType<YamlMappingNode>(node);
            Assert.True(map.Children.TryGetValue(new YamlScalarNode(key), out var child), $"no '{key}' in {map}");
            node = child!;
        }

        return node;
    }

    private static string Text(YamlNode node, params string[] path) => Assert.IsType<YamlScalarNode>(Node(node, path)).Value!;

    /// <summary>An integer, written as one (plain, not quoted).</summary>
    private static int Int(YamlNode node, params string[] path)
    {
        var scalar = Assert.IsType<YamlScalarNode>(Node(node, path));
        Assert.Equal(YamlDotNet.Core.ScalarStyle.Plain, scalar.Style);
        return int.Parse(scalar.Value!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<YamlNode> Sequence(YamlNode node, params string[] path) => [.. Assert.IsType<YamlSequenceNode>(Node(node, path)).Children];

    private static YamlNode Single(YamlNode node, params string[] path) => Assert.Single(Sequence(node, path));

    private static List<string> Texts(YamlNode node, params string[] path) => [.. Sequence(node, path).Select(n => Assert.IsType<YamlScalarNode>(n).Value!)];

    private static Dictionary<string, string> Strings(YamlNode node, params string[] path)
        => Assert.IsType<YamlMappingNode>(Node(node, path)).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);

    /// <summary>The value after <paramref name="option"/> on a command line, which must be there once.</summary>
    private static string Option(List<string> command, string option)
    {
        Assert.Single(command, a => a == option);
        return command[command.IndexOf(option) + 1];
    }
}
