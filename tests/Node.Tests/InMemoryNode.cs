using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Node.Hosting;
using EventSourcing.Testing;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace EventSourcing.Node.Tests;

/// <summary>
/// A node's web host (its gRPC services, interceptors, health and reflection) served in memory by ASP.NET Core's
/// test server: the protocol end to end without a process or a port.
/// </summary>
internal sealed class InMemoryNode : IAsyncDisposable
{
    private readonly HostedApplication _hosted;
    private readonly WebApplication _app;

    private InMemoryNode(HostedApplication hosted, WebApplication app, NodeClient client)
    {
        _hosted = hosted;
        _app = app;
        Client = client;
    }

    public NodeClient Client { get; }

    public Application Application => _hosted.Application;

    /// <summary>A channel of its own to the node, for a follower's source (disposed with the node).</summary>
    public GrpcChannel NewChannel() => GrpcChannel.ForAddress(_app.GetTestServer().BaseAddress, new GrpcChannelOptions { HttpHandler = _app.GetTestServer().CreateHandler() });

    /// <summary>Starts <paramref name="application"/> of the DogSchool system with <paramref name="env"/> on top of the process environment.</summary>
    public static async Task<InMemoryNode> StartAsync(
        string application,
        IReadOnlyDictionary<string, string> env,
        string? token = null,
        Func<NodeOptions, NodeOptions>? configure = null,
        Action<WebApplicationBuilder>? configureHost = null)
    {
        var options = new NodeOptions { System = "DogSchool", Application = application, Tokens = token is null ? [] : [token] };
        options = configure?.Invoke(options) ?? options;
        var hosted = HostedApplication.Create(options, env);
        var app = NodeHost.Build(options, hosted, builder =>
        {
            builder.WebHost.UseTestServer();
            configureHost?.Invoke(builder);
        });
        await app.StartAsync();
        var server = app.GetTestServer();
        var channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
        return new InMemoryNode(hosted, app, new NodeClient(server.BaseAddress, channel, token));
    }

    /// <summary>
    /// Starts <paramref name="application"/> as <see cref="StartAsync"/> does, but on Kestrel at a free loopback port
    /// instead of the test server: for what only a real HTTP/2 connection does (a stream reset by the client).
    /// </summary>
    public static async Task<InMemoryNode> StartOnKestrelAsync(
        string application,
        IReadOnlyDictionary<string, string> env,
        Func<NodeOptions, NodeOptions>? configure = null,
        Action<WebApplicationBuilder>? configureHost = null)
    {
        var url = new Uri($"http://127.0.0.1:{GrpcRunner.FreePort(System.Net.IPAddress.Loopback)}");
        var options = new NodeOptions { System = "DogSchool", Application = application, Listen = url };
        options = configure?.Invoke(options) ?? options;
        var hosted = HostedApplication.Create(options, env);
        var app = NodeHost.Build(options, hosted, builder => configureHost?.Invoke(builder));
        await app.StartAsync();
        return new InMemoryNode(hosted, app, new NodeClient(url));
    }

    /// <summary>Signals the node's host to stop (what SIGTERM does), without waiting for anything.</summary>
    public void StopApplication() => _app.Lifetime.StopApplication();

    /// <summary>Starts <paramref name="application"/> on an SQLite file in <paramref name="data"/> (named after it, without fsync).</summary>
    public static Task<InMemoryNode> StartOnSqliteAsync(string application, TempDirectory data)
        => StartAsync(application, new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_DBNAME"] = data.File(application.ToLowerInvariant() + ".db"),
            ["SQLITE_SYNCHRONOUS"] = "OFF",
        });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _hosted.DisposeAsync();
    }
}
