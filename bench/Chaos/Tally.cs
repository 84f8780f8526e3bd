using System.Collections.Concurrent;

namespace EventSourcing.Chaos;

/// <summary>Per trick: how many commands were acknowledged, and how many failed (applied or not: unknown).</summary>
internal sealed class Tally
{
    private readonly ConcurrentDictionary<string, int> _acknowledged = new(StringComparer.Ordinal);
    private int _failed;

    public int Failed => _failed;

    public IReadOnlyDictionary<string, int> Acknowledged => _acknowledged;

    public void Acknowledge(string trick) => _acknowledged.AddOrUpdate(trick, 1, (_, n) => n + 1);

    public void Fail() => Interlocked.Increment(ref _failed);
}
