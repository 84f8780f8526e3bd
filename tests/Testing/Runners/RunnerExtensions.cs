namespace EventSourcing.Testing.Runners;

public static class RunnerExtensions
{
    /// <summary>Waits for every follower of <paramref name="runner"/> to catch up; fails after <see cref="Eventually.Deadline"/>.</summary>
    public static async Task CatchUpAsync(this IRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        await runner.WaitForCatchUpAsync(deadline.Token);
    }
}
