using EventSourcing.Runner.Cli;

return await RunnerCommandLine.InvokeAsync(args);
