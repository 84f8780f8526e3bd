using System.Diagnostics;
using EventSourcing.Grpc.Hosting;

namespace EventSourcing.Node.Hosting;

/// <summary>Stops the node when the process that started it exits, however it exits (even SIGKILL).</summary>
internal sealed partial class ParentWatch(NodeOptions options, IHostApplicationLifetime lifetime, ILogger<ParentWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.ParentPid is not { } pid)
        {
            return;
        }

        try
        {
            using var parent = Process.GetProcessById(pid);
            await parent.WaitForExitAsync(stoppingToken);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            return;
        }

        ParentExited(logger, pid);
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The process that started this node ({Pid}) has exited; stopping")]
    private static partial void ParentExited(ILogger logger, int pid);
}
