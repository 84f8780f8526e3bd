namespace EventSourcing.Node.Following;

/// <summary>Capped exponential backoff with full jitter, so restarted followers do not reconnect in lockstep.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private int _attempt;

    /// <summary>The next delay: random in [d/2, d] where d doubles per attempt from <c>initial</c> up to <c>max</c>.</summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt++, 30);
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    public void Reset() => _attempt = 0;
}
