using System.CommandLine;

namespace EventSourcing.Runner.Cli;

/// <summary>es-runner's commands: <c>run</c> and <c>status</c>.</summary>
internal static class RunnerCommandLine
{
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("es-runner: runs each application of an event-sourced system in its own process, joined by gRPC")
        {
            RunCommand.Create(),
            StatusCommand.Create(),
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
}
