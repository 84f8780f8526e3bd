using System.Diagnostics;

namespace EventSourcing.Testing.Persistence.Postgres;

/// <summary>
/// A durable PostgreSQL cluster of one test's own (scripts/start-postgres.sh --durable), which the test may crash and restart
/// (scripts/restart-postgres.sh: an immediate stop, an outage, a start) without disturbing the other tests'
/// server. Stopped and removed on dispose.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private static readonly TimeSpan ScriptDeadline = TimeSpan.FromMinutes(2);
    private readonly string _directory;

    private ThrowawayPostgres(string directory, IReadOnlyDictionary<string, string> settings)
    {
        _directory = directory;
        Settings = settings;
    }

    /// <summary>The connection settings, as an application's environment takes them (<c>POSTGRES_HOST</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        // Durable, so that a crash loses no acknowledged commit; with the script's defaults, not the test run's settings.
        var exports = await RunScriptAsync("start-postgres.sh", ["--durable"], unset: ["POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DBNAME"]);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in exports.Split('\n').Where(l => l.StartsWith("export ", StringComparison.Ordinal)))
        {
            foreach (var pair in line["export ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var separator = pair.IndexOf('=', StringComparison.Ordinal);
                values[pair[..separator]] = pair[(separator + 1)..];
            }
        }

        var directory = values["EVENTSOURCING_POSTGRES_DIR"];
        values.Remove("EVENTSOURCING_POSTGRES_DIR");
        return new ThrowawayPostgres(directory, values);
    }

    /// <summary>Crashes the server (every connection cut), keeps it down for <paramref name="down"/>, and starts it again.</summary>
    public Task RestartAsync(TimeSpan down)
        => RunScriptAsync("restart-postgres.sh", [_directory, "--down", down.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)]);

    public async ValueTask DisposeAsync() => await RunScriptAsync("stop-postgres.sh", [_directory]);

    private static async Task<string> RunScriptAsync(string script, string[] args, string[]? unset = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", script));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in unset ?? [])
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(ScriptDeadline);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/{script} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }

    private static string RepositoryRoot()
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
}
