namespace EventSourcing.Runner.Cli;

/// <summary>Writes the runner's own lines and the nodes' relayed lines without interleaving them mid-line.</summary>
internal sealed class ConsoleOutput
{
    private readonly Lock _lock = new();

    public void Say(string line)
    {
        lock (_lock)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    public void Relay(string node, string line)
    {
        lock (_lock)
        {
            Console.Out.WriteLine($"[{node}] {line}");
            Console.Out.Flush();
        }
    }
}
