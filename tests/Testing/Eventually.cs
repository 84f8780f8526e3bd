namespace EventSourcing.Testing;

/// <summary>Awaits a condition that asynchronous work makes true, within a deadline.</summary>
public static class Eventually
{
    /// <summary>How long to wait when the caller does not say: long enough for a node process to start on a small, busy machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Asks <paramref name="probe"/> until <paramref name="done"/> holds for its value, after a short growing pause each time; returns that value.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Gave up waiting for {what}; last value: {value}");
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(250).Ticks, pause.Ticks * 2));
        }
    }

    /// <summary>Checks <paramref name="condition"/> again each time <paramref name="changed"/> is released, until it holds.</summary>
    public static async Task HoldsAsync(Func<bool> condition, SemaphoreSlim changed, string what, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(changed);
        using var cancellation = new CancellationTokenSource(deadline ?? Deadline);
        while (!condition())
        {
            try
            {
                await changed.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for {what}");
            }
        }
    }
}
