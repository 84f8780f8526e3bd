using System.Diagnostics;

namespace EventSourcing.Integration.Tests;

/// <summary>Programs a test runs to their end, as a person runs them from a shell: the repository's scripts, dotnet, installed tools.</summary>
internal static class Commands
{
    /// <summary>The repository the tests were built from: the directory above them that holds EventSourcing.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EventSourcing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No EventSourcing.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> until it exits, or kills it (with whatever it
    /// started) at <paramref name="deadline"/> (default 3 minutes); <paramref name="configure"/> may set its
    /// working directory and environment.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string file,
        IEnumerable<string> args,
        TimeSpan? deadline = null,
        Action<ProcessStartInfo>? configure = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        configure?.Invoke(start);
        using var process = Process.Start(start)!;
        using var cancellation = new CancellationTokenSource(deadline ?? TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation.Token);
        var stderr = process.StandardError.ReadToEndAsync(cancellation.Token);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
