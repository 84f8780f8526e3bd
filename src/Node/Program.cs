using EventSourcing;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Node.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// es-node: hosts one application of a system and serves it over gRPC until SIGTERM or Ctrl-C.
NodeOptions? options;
HostedApplication hosted;
try
{
    (options, var exitCode) = await NodeCommandLine.ParseAsync(args, CancellationToken.None);
    if (options is null)
    {
        return exitCode;
    }

    NodeSecurity.Check(options);
    NodeSecurity.CheckFiles(options);
    hosted = HostedApplication.Create(options);
}
catch (EventSourcingException ex)
{
    await Console.Error.WriteLineAsync($"es-node: {ex.Message}");
    return 2;
}

await using (hosted)
{
    var app = NodeHost.Build(options, hosted);
    var storeOpened = ServingAnnouncement.OpenStoreAsync(hosted.Application, app.Lifetime.ApplicationStopping);
    await app.StartAsync();
    hosted.Url = NodeHost.BoundUrl(app, options);
    Console.WriteLine($"es-node {hosted.Application.Name} pid {Environment.ProcessId} listening on {hosted.Url}");
    if (options.HealthListen is { } healthListen)
    {
        Console.WriteLine($"es-node {hosted.Application.Name} serves its health checks on {NodeCommandLine.Address(healthListen)} (plaintext, nothing else)");
    }

    if (options.Metrics is { } metrics)
    {
        Console.WriteLine(NodeTelemetry.Disabled
            ? $"es-node {hosted.Application.Name} serves no metrics on {NodeCommandLine.Address(metrics)}: OTEL_SDK_DISABLED=true turns OpenTelemetry off"
            : $"es-node {hosted.Application.Name} serves its metrics on {NodeCommandLine.Address(metrics)}{NodeHost.MetricsPath} (Prometheus, plaintext, nothing else)");
    }

    var announcing = ServingAnnouncement.RunAsync(
        storeOpened,
        app.Services.GetRequiredService<HealthCheckService>(),
        hosted.Application.Name,
        app.Lifetime.ApplicationStopping);
    await app.WaitForShutdownAsync();
    await announcing;
    await app.DisposeAsync();
}

return 0;
