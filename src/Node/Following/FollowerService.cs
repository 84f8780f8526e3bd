using EventSourcing.Grpc;
using EventSourcing.Grpc.Following;
using EventSourcing.Grpc.Hosting;
using Grpc.Net.Client;

namespace EventSourcing.Node.Following;

/// <summary>
/// Runs one <see cref="LeaderPipe"/> per leader of the hosted application (none for an application that follows
/// nobody), each over its leader's Subscribe stream. A pipe that fails stays failed (Status says why) while the node
/// goes on serving.
/// </summary>
internal sealed class FollowerService : BackgroundService
{
    private readonly List<(LeaderPipe Pipe, GrpcChannel Channel)> _pipes = [];

    public FollowerService(Hosting.HostedApplication hosted, NodeOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(hosted);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (hosted.Application is not ProcessApplication follower)
        {
            return;
        }

        // A leader's certificate is checked against --tls-ca (else the system's roots); a leader that asks for a client
        // certificate gets the node's own.
        var leadersCa = options.TlsCa is null ? null : PemFiles.Certificate(options.TlsCa, NodeCommandLine.TlsCaOption);
        var clientCertificate = options.TlsCertificate is null ? null : PemFiles.CertificateWithKey(options.TlsCertificate, options.TlsKey, NodeCommandLine.TlsCertOption);
        foreach (var leader in hosted.System.LeadersOf(follower.Name))
        {
            // Errors other than the policy's and the leader log's are retried: a node recovers by itself.
            var pipeOptions = new PipeOptions
            {
                OnPolicyError = options.OnPolicyError,
                RetryOtherErrors = true,
                MaxBackoff = options.MaxBackoff,
                AcceptNewLeaderLog = options.AcceptNewLeaderLogs.Contains(leader, StringComparer.Ordinal),
            };
            var url = options.Leaders[leader];
            var channel = NodeChannel.Create(url, leadersCa, clientCertificate);
            var source = new RemoteNotificationSource(leader, url, channel, options.Token);
            var logger = loggerFactory.CreateLogger($"EventSourcing.Node.Following.{leader}");
            _pipes.Add((new LeaderPipe(follower, source, pipeOptions, logger), channel));
        }
    }

    public IEnumerable<LeaderPipe> Pipes => _pipes.Select(p => p.Pipe);

    public override void Dispose()
    {
        foreach (var (_, channel) in _pipes)
        {
            channel.Dispose();
        }

        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(_pipes.Select(p => Task.Run(() => p.Pipe.RunAsync(stoppingToken), CancellationToken.None)));
}
