using System.Net;
using Grpc.Net.Client;

namespace EventSourcing.Node.Following;

/// <summary>Runs one <see cref="LeaderPipe"/> per leader of the hosted application (none for an application that follows nobody).</summary>
public sealed class FollowerService : BackgroundService
{
    private readonly List<(LeaderPipe Pipe, GrpcChannel Channel)> _pipes = [];

    public FollowerService(Hosting.HostedApplication hosted, Hosting.NodeOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(hosted);
        ArgumentNullException.ThrowIfNull(options);
        if (hosted.Application is not ProcessApplication follower)
        {
            return;
        }

        foreach (var leader in hosted.System.LeadersOf(follower.Name))
        {
            var url = options.Leaders[leader];
            var channel = CreateChannel(url);

            // The leader's events are decoded with the leader's settings ({LEADER}_CIPHER_KEY and so on) from this process's environment.
            var leaderMapper = MapperFactory.FromEnvironment(follower.Environment.For(leader));
            var logger = loggerFactory.CreateLogger($"EventSourcing.Node.Following.{leader}");
            _pipes.Add((new LeaderPipe(follower, leader, url, channel, leaderMapper, options, logger), channel));
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

    private static GrpcChannel CreateChannel(Uri url) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // Detects a leader that vanished without closing the connection (host down, cable pulled).
            KeepAlivePingDelay = TimeSpan.FromSeconds(15),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            EnableMultipleHttp2Connections = true,
        },
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        HttpVersion = HttpVersion.Version20,
    });
}
