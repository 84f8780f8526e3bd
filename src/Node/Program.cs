using EventSourcing;
using EventSourcing.Node.Hosting;

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

    NodeHost.CheckSecurity(options);
    var (systemName, system) = SystemCatalog.Find(options.System);
    hosted = HostedApplication.Create(systemName, system, options.Application);
    var missing = system.LeadersOf(options.Application).Where(l => !options.Leaders.ContainsKey(l)).ToList();
    var unknown = options.Leaders.Keys.Where(l => !system.LeadersOf(options.Application).Contains(l)).ToList();
    if (missing.Count > 0 || unknown.Count > 0)
    {
        await hosted.DisposeAsync();
        throw new ConfigurationException(missing.Count > 0
            ? $"{options.Application} follows {string.Join(", ", missing)}: give --leader NAME=URL for each"
            : $"{options.Application} does not follow {string.Join(", ", unknown)} in system {systemName}");
    }
}
catch (EventSourcingException ex)
{
    await Console.Error.WriteLineAsync($"es-node: {ex.Message}");
    return 2;
}

await using (hosted)
{
    var app = NodeHost.Build(options, hosted);
    await app.StartAsync();
    hosted.Url = NodeHost.BoundUrl(app, options);
    Console.WriteLine($"es-node {hosted.Application.Name} pid {Environment.ProcessId} listening on {hosted.Url}");
    await app.WaitForShutdownAsync();
    await app.DisposeAsync();
}

return 0;
