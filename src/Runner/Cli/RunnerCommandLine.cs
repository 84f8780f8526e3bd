using System.CommandLine;
using EventSourcing.Grpc.Hosting;

namespace EventSourcing.Runner.Cli;

/// <summary>es-runner's commands: <c>run</c>, <c>status</c>, <c>verify</c> and <c>manifest</c>.</summary>
internal static class RunnerCommandLine
{
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("es-runner: runs each application of an event-sourced system in its own process, joined by gRPC")
        {
            RunCommand.Create(),
            StatusCommand.Create(),
            VerifyCommand.Create(),
            Manifests.ManifestCommand.Create(),
        };

        // Signals are handled by the commands themselves: stopping nodes can take longer than a fixed timeout.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>Parses KEY=VALUE pairs, naming the option in the error.</summary>
    public static Dictionary<string, string> ParsePairs(string option, IEnumerable<string> values)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var separator = value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new ConfigurationException($"{option} '{value}' is not KEY=VALUE");
            }

            pairs[value[..separator]] = value[(separator + 1)..];
        }

        return pairs;
    }

    /// <summary>
    /// The settings of an env file: KEY=VALUE lines (an <c>export </c> before the key and quotes around the value are
    /// allowed), blank lines and lines starting with <c>#</c> left out.
    /// </summary>
    public static Dictionary<string, string> ReadEnvFile(string path)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (number, text) in SettingsFile.Lines(path, $"--env-file {path}"))
        {
            var line = text;
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || line[..separator].Any(char.IsWhiteSpace))
            {
                throw new ConfigurationException($"--env-file {path}, line {number}: not KEY=VALUE");
            }

            var value = line[(separator + 1)..];
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            pairs[line[..separator]] = value;
        }

        return pairs;
    }

    /// <summary>
    /// Refuses settings on the command line that are secrets (a cipher key, a token, a password): every local user can
    /// read a process's command line.
    /// </summary>
    public static void RefuseSecrets(string option, IReadOnlyDictionary<string, string> pairs)
    {
        foreach (var key in pairs.Keys)
        {
            if (key.EndsWith("CIPHER_KEY", StringComparison.Ordinal) || key.EndsWith("PASSWORD", StringComparison.Ordinal) || key == "ES_NODE_TOKEN")
            {
                throw new ConfigurationException(
                    $"{option} {key}=... would put a secret on the command line, where every local user can read it (/proc/PID/cmdline): "
                    + "put it in a file for --env-file, or in the runner's environment");
            }
        }
    }
}
