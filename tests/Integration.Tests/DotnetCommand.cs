using System.Diagnostics;
using EventSourcing.Grpc.Processes;

namespace EventSourcing.Integration.Tests;

/// <summary>A program of the build (es-runner, es-node) run to its end, as a person runs it: its exit code and what it printed.</summary>
internal sealed record DotnetCommand(int ExitCode, string Output, string Errors)
{
    /// <summary>Runs <c>dotnet ASSEMBLY ARGS</c> (the assembly beside the tests) and waits, with a deadline, for it to exit.</summary>
    public static async Task<DotnetCommand> RunAsync(string assembly, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var errors = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            return new DotnetCommand(process.ExitCode, await output, await errors);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
