using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Processes;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// Starts real es-node processes (the built es-node.dll) on free ports, waits for their health checks with a
/// deadline, and kills every one of them on dispose, whatever happened in the test.
/// </summary>
public sealed class NodeHarness(ITestOutputHelper output) : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly List<TestNode> _nodes = [];
    private readonly ConcurrentQueue<string> _log = new();

    public string NodeAssembly { get; } = DotnetHost.NodeAssembly(Path.Combine(AppContext.BaseDirectory, "es-node.dll"));

    /// <summary>
    /// Starts <paramref name="application"/> of <paramref name="system"/> (DogSchool unless given) on <paramref name="host"/>, following the given
    /// leaders. With <paramref name="tls"/>, it listens on https (give it <c>--tls-cert</c> and <c>--tls-key</c> in
    /// <paramref name="extraArguments"/>) and the test's client trusts that certificate.
    /// </summary>
    public async Task<TestNode> StartAsync(
        string application,
        IReadOnlyDictionary<string, string>? env = null,
        string host = "127.0.0.1",
        IEnumerable<TestNode>? leaders = null,
        IEnumerable<string>? extraArguments = null,
        X509Certificate2? tls = null,
        string system = "DogSchool",
        X509Certificate2? clientCertificate = null)
    {
        var node = Launch(application, env, host, leaders, extraArguments, tls, system, clientCertificate);
        await WaitServingAsync(node);
        return node;
    }

    /// <summary>Starts a node as <see cref="StartAsync"/> does, without waiting for it to serve.</summary>
    public TestNode Launch(
        string application,
        IReadOnlyDictionary<string, string>? env = null,
        string host = "127.0.0.1",
        IEnumerable<TestNode>? leaders = null,
        IEnumerable<string>? extraArguments = null,
        X509Certificate2? tls = null,
        string system = "DogSchool",
        X509Certificate2? clientCertificate = null)
    {
        var url = new Uri($"{(tls is null ? "http" : "https")}://{host}:{GrpcRunner.FreePort(IPAddress.Parse(host))}");
        var options = new NodeOptions
        {
            System = system,
            Application = application,
            Listen = url,
            Leaders = (leaders ?? []).ToDictionary(leader => leader.Name, leader => leader.Url, StringComparer.Ordinal),
        };
        var spec = new NodeSpec(options, env ?? new Dictionary<string, string>(), [.. extraArguments ?? []]);
        var node = new TestNode(spec, Launch(spec), new NodeClient(url, trustedCertificate: tls, clientCertificate: clientCertificate));
        _nodes.Add(node);
        return node;
    }

    /// <summary>Starts the node again with the same address, arguments and environment (after it was killed).</summary>
    public async Task RestartAsync(TestNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Process.Dispose();
        node.Process = Launch(node.Spec);
        await WaitServingAsync(node);
    }

    /// <summary>Kills the node with SIGKILL, as a crash would, and waits until it is gone.</summary>
    public static async Task KillAsync(TestNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Process.Kill();
        using var deadline = new CancellationTokenSource(Deadline);
        await node.Process.Exited.WaitAsync(deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Process.Kill();
            node.Client.Dispose();
        }

        foreach (var node in _nodes)
        {
            using var deadline = new CancellationTokenSource(Deadline);
            await node.Process.Exited.WaitAsync(deadline.Token);
            node.Process.Dispose();
        }

        foreach (var line in _log)
        {
            output.WriteLine(line);
        }
    }

    /// <summary>Everything the named node has logged so far, one line each.</summary>
    public string LogOf(string name)
        => string.Join('\n', _log.Where(line => line.StartsWith($"[{name}] ", StringComparison.Ordinal)));

    private NodeProcess Launch(NodeSpec spec) => NodeProcess.Start(NodeAssembly, spec, (name, line) => _log.Enqueue($"[{name}] {line}"));

    private static async Task WaitServingAsync(TestNode node)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        await node.Client.WaitUntilServingAsync(node.Process.Exited, deadline.Token);
    }
}
