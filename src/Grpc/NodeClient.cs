using System.Security.Cryptography.X509Certificates;
using EventSourcing.Grpc.Protocol;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Grpc;

/// <summary>The gRPC clients of one node, over one channel.</summary>
public sealed class NodeClient : IDisposable
{
    private readonly GrpcChannel _channel;

    /// <param name="url">The node's address, http:// or https://.</param>
    /// <param name="token">The node's shared token, sent with every call but health checks; null when it needs none.</param>
    /// <param name="trustedCertificate">
    /// For https: the one certificate to trust as the root of the node's (e.g. a self-signed one), instead of the
    /// system's roots; null to use the system's.
    /// </param>
    /// <param name="clientCertificate">For a node that asks for one (mutual TLS): a certificate with its private key.</param>
    public NodeClient(Uri url, string? token = null, X509Certificate2? trustedCertificate = null, X509Certificate2? clientCertificate = null)
        : this(url, NodeChannel.Create(url, trustedCertificate, clientCertificate), token)
    {
    }

    /// <summary>Clients over a channel made elsewhere (an in-memory test server's, say), which this client disposes.</summary>
    public NodeClient(Uri url, GrpcChannel channel, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(channel);
        Url = url;
        Headers = BearerToken.Headers(token);
        _channel = channel;
        Log = new Proto.NotificationLog.NotificationLogClient(_channel);
        Application = new Proto.Application.ApplicationClient(_channel);
        Node = new Proto.Node.NodeClient(_channel);
        Health = new Health.HealthClient(_channel);
    }

    public Uri Url { get; }

    /// <summary>The channel the clients share, e.g. for a <see cref="Following.RemoteNotificationSource"/>.</summary>
    public GrpcChannel Channel => _channel;

    /// <summary>The token header to send with every call but health checks, when the node requires one.</summary>
    public Metadata? Headers { get; }

    public Proto.NotificationLog.NotificationLogClient Log { get; }

    public Proto.Application.ApplicationClient Application { get; }

    public Proto.Node.NodeClient Node { get; }

    public Health.HealthClient Health { get; }

    public Task<Proto.StatusResponse> StatusAsync(CancellationToken cancellationToken = default)
        => Node.StatusAsync(new Proto.StatusRequest(), Headers, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken).ResponseAsync;

    /// <summary>True when the node answers its health check with SERVING: it is up and its store answers.</summary>
    public Task<bool> IsServingAsync(CancellationToken cancellationToken = default) => IsServingAsync(string.Empty, cancellationToken);

    /// <summary>
    /// True when the node says <paramref name="service"/> is SERVING: the empty name is the node itself,
    /// <c>pipe/LEADER</c> one of its pipes. False when it says otherwise or cannot be reached.
    /// </summary>
    public async Task<bool> IsServingAsync(string service, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits until the node's health check says SERVING, asking again with a short capped backoff while it starts.
    /// Fails as soon as <paramref name="exited"/> completes (the process died), without waiting for a deadline.
    /// </summary>
    public async Task WaitUntilServingAsync(Task<int>? exited, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), jitter: false);
        while (!await IsServingAsync(cancellationToken))
        {
            if (exited is { IsCompleted: true })
            {
                throw new OperationalException($"The node at {Url} exited with code {await exited} before it was serving");
            }

            var wait = Task.Delay(backoff.Next(), cancellationToken);
            await (exited is null ? wait : Task.WhenAny(wait, exited));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void Dispose() => _channel.Dispose();
}
