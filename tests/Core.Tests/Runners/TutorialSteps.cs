using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Tests.Runners;

/// <summary>The tutorial's test body: three dogs, six tricks, and the counts after each round.</summary>
internal static class TutorialSteps
{
    public static async Task RunAsync(IRunner runner, CancellationToken cancellationToken)
    {
        var school = runner.Get<IDogSchool>();
        var counters = runner.Get<ICounters>();
        await school.RegisterDogAsync("Billy", cancellationToken);
        await school.RegisterDogAsync("Milly", cancellationToken);
        await school.RegisterDogAsync("Scrappy", cancellationToken);

        await school.AddTrickAsync("Billy", "roll over", cancellationToken);
        await school.AddTrickAsync("Milly", "roll over", cancellationToken);
        await school.AddTrickAsync("Scrappy", "roll over", cancellationToken);
        await runner.WaitForCatchUpAsync(cancellationToken);
        await AssertCountsAsync(counters, 3, 0, 0, cancellationToken);

        await school.AddTrickAsync("Billy", "fetch ball", cancellationToken);
        await school.AddTrickAsync("Milly", "fetch ball", cancellationToken);
        await runner.WaitForCatchUpAsync(cancellationToken);
        await AssertCountsAsync(counters, 3, 2, 0, cancellationToken);

        await school.AddTrickAsync("Billy", "play dead", cancellationToken);
        await runner.WaitForCatchUpAsync(cancellationToken);
        await AssertCountsAsync(counters, 3, 2, 1, cancellationToken);
    }

    public static async Task AssertCountsAsync(ICounters counters, int rollOver, int fetchBall, int playDead, CancellationToken cancellationToken)
    {
        Assert.Equal(rollOver, await counters.GetCountAsync("roll over", cancellationToken));
        Assert.Equal(fetchBall, await counters.GetCountAsync("fetch ball", cancellationToken));
        Assert.Equal(playDead, await counters.GetCountAsync("play dead", cancellationToken));
    }

    /// <summary>The tutorial's last step: new application instances on the same databases see the same state.</summary>
    public static async Task AssertStateSurvivesAsync(IReadOnlyDictionary<string, string> env, CancellationToken cancellationToken)
    {
        await using (var school = new DogSchool(env))
        {
            var billy = await school.GetDogAsync("Billy", cancellationToken);
            Assert.Equal(["roll over", "fetch ball", "play dead"], billy.Tricks);
            Assert.Equal(["roll over"], (await school.GetDogAsync("Scrappy", cancellationToken)).Tricks);
        }

        await using var counters = new Counters(env);
        await AssertCountsAsync(counters, 3, 2, 1, cancellationToken);
    }

    public static string NewCipherKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
