using System.Diagnostics;
using EventSourcing.Grpc;
using Grpc.Core;

namespace EventSourcing.Chaos;

/// <summary>
/// Kills a node at random (SIGKILL, as a crash would; the runner restarts it) every so often, and, for PostgreSQL,
/// crashes and restarts the database now and then. Says what it did.
/// </summary>
internal sealed class Monkey(IReadOnlyList<NodeClient> nodes, ChaosOptions options, Action<string> say)
{
    public int Kills { get; private set; }

    public int DatabaseRestarts { get; private set; }

    public async Task RunAsync(CancellationToken stopping)
    {
        var nextRestart = DateTime.UtcNow + options.RestartDatabaseEvery;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Somewhere between half and one and a half times the interval, so kills do not fall into step.
                await Task.Delay(options.KillEvery * (0.5 + Random.Shared.NextDouble()), stopping);
                if (options.PostgresDirectory is { } directory && DateTime.UtcNow > nextRestart)
                {
                    await RestartDatabaseAsync(directory, stopping);
                    nextRestart = DateTime.UtcNow + options.RestartDatabaseEvery;
                }
                else
                {
                    await KillANodeAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task KillANodeAsync(CancellationToken cancellationToken)
    {
        var node = nodes[Random.Shared.Next(nodes.Count)];
        int pid;
        try
        {
            pid = (await node.StatusAsync(cancellationToken)).Pid;
        }
        catch (Exception ex) when (ex is RpcException or OperationalException)
        {
            say($"could not ask the node at {node.Url} for its pid ({ex.Message}); killing nothing this time");
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            Kills++;
            say($"killed the node at {node.Url} (pid {pid})");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Gone already.
        }
    }

    private async Task RestartDatabaseAsync(string directory, CancellationToken cancellationToken)
    {
        var down = TimeSpan.FromSeconds(1 + Random.Shared.Next(3));
        var script = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "scripts", "restart-postgres.sh");
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(Path.GetFullPath(script));
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add("--down");
        start.ArgumentList.Add(down.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/restart-postgres.sh failed: {error}");
        }

        DatabaseRestarts++;
        say($"crashed the database and started it again after {down.TotalSeconds:0}s");
    }
}
