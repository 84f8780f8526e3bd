namespace EventSourcing;

/// <summary>
/// Capped exponential backoff, with full jitter by default so that restarted followers do not reconnect in
/// lockstep. The one backoff of the library: pipes retrying, clients waiting for a node, a runner restarting one.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, bool jitter = true)
{
    private int _attempt;

    /// <summary>
    /// The next delay: d doubles per attempt from <c>initial</c> up to <c>max</c>; with jitter, random in [d/2, d].
    /// </summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt++, 30);
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(jitter ? ceiling * (0.5 + (Random.Shared.NextDouble() / 2)) : ceiling);
    }

    /// <summary>Starts again from <c>initial</c>, after a success.</summary>
    public void Reset() => _attempt = 0;
}
