using System.Net;
using System.Security.Cryptography.X509Certificates;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Node.Following;
using EventSourcing.Node.Grpc;
using EventSourcing.Node.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using EventSourcing.Grpc;

namespace EventSourcing.Node.Hosting;

/// <summary>Builds the web host of a node: Kestrel on HTTP/2, the gRPC services, health and reflection, and the followers.</summary>
internal static class NodeHost
{
    private static readonly PathString HealthServicePath = "/grpc.health.v1.Health";

    /// <summary>Where the Prometheus scrape endpoint is, on the <see cref="NodeOptions.Metrics"/> address only.</summary>
    public static readonly PathString MetricsPath = "/metrics";

    /// <param name="configure">Changes to the host before it is built (tests serve it in memory).</param>
    public static WebApplication Build(NodeOptions options, HostedApplication hosted, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hosted);
        var endpoint = Endpoint(options.Listen);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.TlsCertificate is not null)
                {
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = PemFiles.CertificateWithKey(options.TlsCertificate, options.TlsKey, NodeCommandLine.TlsCertOption);
                        if (options.TlsClientCa is not null)
                        {
                            var clientCa = PemFiles.Certificate(options.TlsClientCa, NodeCommandLine.TlsClientCaOption);
                            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                            https.ClientCertificateValidation = (certificate, _, _) => NodeChannel.IsIssuedBy(clientCa, certificate);
                        }
                    });
                }
            });
            if (options.HealthListen is { } healthListen)
            {
                // Plaintext, for probes that speak no TLS and send no token: everything but the health service is
                // refused on its connections (below).
                ListenMarked(kestrel, Endpoint(healthListen, NodeCommandLine.HealthListenOption), HttpProtocols.Http2, HealthOnlyConnection.Instance);
            }

            if (options.Metrics is { } metrics)
            {
                // Plaintext HTTP/1.1, as Prometheus scrapes: only /metrics is served on its connections (below), and the
                // node's own address never serves it.
                ListenMarked(kestrel, Endpoint(metrics, NodeCommandLine.MetricsOption), HttpProtocols.Http1, MetricsOnlyConnection.Instance);
            }
        });

        NodeTelemetry.Add(builder, options, hosted);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(hosted);
        builder.Services.AddSingleton<FollowerService>();
        builder.Services.AddSingleton<SubscriberSlots>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FollowerService>());
        builder.Services.AddHostedService<ParentWatch>();
        builder.Services.AddHostedService<CommitWatch>();
        if (options.ParentPid is not null)
        {
            builder.Services.AddSingleton<IHostLifetime, SupervisedLifetime>();
        }

        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<TokenCheck>();
            grpc.Interceptors.Add<ErrorMapping>();
            grpc.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton(_ => Reflection.Create());
        builder.Services.AddGrpcReflection();
        // The node's own health (the empty service name) is its store's; each pipe has a service name of its own.
        var leaders = hosted.System.LeadersOf(hosted.Application.Name);
        var health = builder.Services.AddGrpcHealthChecks(grpcHealth =>
        {
            grpcHealth.Services.Map(string.Empty, result => result.Name == StoreHealthCheck.Name);
            foreach (var leader in leaders)
            {
                var name = PipeHealthCheck.NameOf(leader);
                grpcHealth.Services.Map(name, result => result.Name == name);
            }
        });
        health.AddCheck<StoreHealthCheck>(StoreHealthCheck.Name);
        foreach (var leader in leaders)
        {
            health.Add(new HealthCheckRegistration(
                PipeHealthCheck.NameOf(leader),
                services => new PipeHealthCheck(services.GetRequiredService<FollowerService>(), leader),
                failureStatus: null,
                tags: null));
        }

        configure?.Invoke(builder);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Features.Get<HealthOnlyConnection>() is not null && !context.Request.Path.StartsWithSegments(HealthServicePath, StringComparison.Ordinal))
            {
                // A gRPC client reads 404 as UNIMPLEMENTED.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (context.Features.Get<MetricsOnlyConnection>() is not null && context.Request.Path != MetricsPath)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        if (options.Metrics is not null && !NodeTelemetry.Disabled)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Features.Get<MetricsOnlyConnection>() is not null && context.Request.Path == MetricsPath);
        }

        app.MapGrpcService<NotificationLogService>();
        app.MapGrpcService<ApplicationService>();
        app.MapGrpcService<NodeService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>The address Kestrel actually bound (the port filled in when 0 was asked for).</summary>
    public static string BoundUrl(WebApplication app, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var port = bound is not null && Uri.TryCreate(bound, UriKind.Absolute, out var uri) ? uri.Port : options.Listen.Port;
        return NodeCommandLine.Address(new UriBuilder(options.Listen) { Port = port }.Uri);
    }

    /// <summary>Listens on <paramref name="endpoint"/> in plaintext, marking each connection's requests with <paramref name="marker"/>.</summary>
    private static void ListenMarked<TMarker>(KestrelServerOptions kestrel, IPEndPoint endpoint, HttpProtocols protocols, TMarker marker)
        where TMarker : class
        => kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = protocols;
            listen.Use(next => connection =>
            {
                connection.Features.Set(marker);
                return next(connection);
            });
        });

    private static IPEndPoint Endpoint(Uri listen, string option = NodeCommandLine.ListenOption)
    {
        var host = listen.Host.Trim('[', ']');
        var address = host == "localhost" ? IPAddress.Loopback
            : host is "*" or "0.0.0.0" ? IPAddress.Any
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ConfigurationException($"{option} {listen}: give an IP address (or localhost), not a host name");
        var port = listen.IsDefaultPort && !listen.OriginalString.Contains($":{listen.Port}", StringComparison.Ordinal) ? 0 : listen.Port;
        return new IPEndPoint(address, port);
    }

    /// <summary>Marks a connection to <see cref="NodeOptions.Metrics"/>: only the Prometheus scrape endpoint is served on it.</summary>
    private sealed class MetricsOnlyConnection
    {
        public static readonly MetricsOnlyConnection Instance = new();
    }

    /// <summary>Marks a connection to <see cref="NodeOptions.HealthListen"/>: only health checks are served on it.</summary>
    private sealed class HealthOnlyConnection
    {
        public static readonly HealthOnlyConnection Instance = new();
    }
}
