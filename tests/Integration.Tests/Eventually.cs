namespace EventSourcing.Integration.Tests;

/// <summary>Awaits a condition that asynchronous work makes true, with a deadline, asking again after a short growing pause.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var until = DateTime.UtcNow + (deadline ?? NodeHarness.Deadline);
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
}
