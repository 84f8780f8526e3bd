using System.Collections.Concurrent;
using System.Net;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Processes;

namespace EventSourcing.Subscribers;

/// <summary>A DogSchool es-node (the one built beside this program) on a free port, stopped on dispose.</summary>
internal sealed class MeasuredNode : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<string> _recent;

    private MeasuredNode(NodeProcess process, NodeClient client, ConcurrentQueue<string> recent)
    {
        Process = process;
        Client = client;
        _recent = recent;
    }

    public NodeProcess Process { get; }

    public NodeClient Client { get; }

    public Uri Url => Client.Url;

    /// <summary>The node's last lines of output, for saying why something failed.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _recent);

    public static async Task<MeasuredNode> StartAsync(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var url = new Uri($"http://127.0.0.1:{GrpcRunner.FreePort(IPAddress.Loopback)}");
        var spec = new NodeSpec(new NodeOptions { System = "DogSchool", Application = "DogSchool", Listen = url }, environment, arguments);
        var recent = new ConcurrentQueue<string>();
        var process = NodeProcess.Start(DotnetHost.NodeAssembly(), spec, (_, line) =>
        {
            recent.Enqueue(line);
            if (recent.Count > 40)
            {
                recent.TryDequeue(out string? _);
            }
        });
        var node = new MeasuredNode(process, new NodeClient(url), recent);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StartDeadline);
            await node.Client.WaitUntilServingAsync(process.Exited, deadline.Token);
            return node;
        }
        catch (Exception ex) when (ex is OperationalException or OperationCanceledException)
        {
            var output = node.RecentOutput;
            await node.DisposeAsync();
            throw new BenchmarkException($"The node at {url} did not start serving within {StartDeadline.TotalSeconds:0}s ({ex.Message}); it said:{Environment.NewLine}{output}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.StopAsync(TimeSpan.FromSeconds(10));
        Process.Dispose();
    }
}

/// <summary>A measurement that could not be made, or whose subscribers did not receive what was committed.</summary>
internal sealed class BenchmarkException(string message, Exception? inner = null) : Exception(message, inner);
