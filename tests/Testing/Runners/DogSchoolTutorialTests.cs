using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Testing.Runners;

/// <summary>
/// The tutorial's <c>test()</c> (part 4, "Systems"), run on each runner. Where the tutorial sleeps in case
/// events are processed asynchronously, this waits for the followers to catch up.
/// </summary>
public abstract class DogSchoolTutorialTests
{
    /// <summary>
    /// A runner for <paramref name="system"/>. <paramref name="env"/> holds the test's own settings (empty here);
    /// merge the backend's settings into it.
    /// </summary>
    protected abstract IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env);

    [Fact]
    public async Task Counters_count_the_tricks_added_to_dogs()
    {
        await using var runner = CreateRunner(DogSchoolSystem.System, new Dictionary<string, string>());
        await runner.StartAsync();

        var school = runner.Get<IDogSchool>();
        var counters = runner.Get<ICounters>();

        await school.RegisterDogAsync("Billy");
        await school.RegisterDogAsync("Milly");
        await school.RegisterDogAsync("Scrappy");

        await school.AddTrickAsync("Billy", "roll over");
        await school.AddTrickAsync("Milly", "roll over");
        await school.AddTrickAsync("Scrappy", "roll over");
        await runner.CatchUpAsync();
        await AssertCountsAsync(counters, rollOver: 3, fetchBall: 0, playDead: 0);

        await school.AddTrickAsync("Billy", "fetch ball");
        await school.AddTrickAsync("Milly", "fetch ball");
        await runner.CatchUpAsync();
        await AssertCountsAsync(counters, rollOver: 3, fetchBall: 2, playDead: 0);

        await school.AddTrickAsync("Billy", "play dead");
        await runner.CatchUpAsync();
        await AssertCountsAsync(counters, rollOver: 3, fetchBall: 2, playDead: 1);

        await runner.StopAsync();
    }

    [Fact]
    public async Task The_school_returns_a_dog_with_its_tricks()
    {
        await using var runner = CreateRunner(DogSchoolSystem.System, new Dictionary<string, string>());
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();

        var id = await school.RegisterDogAsync("Scrappy");
        await school.AddTrickAsync("Scrappy", "roll over");
        await school.AddTrickAsync("Scrappy", "play dead");

        Assert.Equal(Dog.CreateId("Scrappy"), id);
        var dog = await school.GetDogAsync("Scrappy");
        Assert.Equal("Scrappy", dog.Name);
        Assert.Equal(["roll over", "play dead"], dog.Tricks);

        await runner.StopAsync();
    }

    [Fact]
    public async Task A_counter_event_is_caused_by_the_trick_added_notification_and_keeps_the_commands_correlation_id()
    {
        await using var runner = CreateRunner(DogSchoolSystem.System, new Dictionary<string, string>());
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();

        await school.RegisterDogAsync("Billy");
        using (Correlation.Begin("lesson-42"))
        {
            await school.AddTrickAsync("Billy", "roll over");
        }

        await runner.CatchUpAsync();
        var trickAdded = (await ReadLogAsync<DogSchool>(runner)).Single(e => e.Notification.Topic == "dogschool:Dog.TrickAdded");
        Assert.Equal("lesson-42", trickAdded.Metadata?.CorrelationId);
        Assert.Null(trickAdded.Metadata?.Causation);
        var counterEvents = await ReadLogAsync<Counters>(runner);
        Assert.NotEmpty(counterEvents);
        Assert.All(counterEvents, e =>
        {
            Assert.Equal(new Causation("DogSchool", trickAdded.Notification.Id), e.Metadata?.Causation);
            Assert.Equal("lesson-42", e.Metadata?.CorrelationId);
        });

        await runner.StopAsync();
    }

    /// <summary>
    /// The notifications of <typeparamref name="TApplication"/> with their metadata decoded: in process, from the
    /// application's own log; a runner of nodes overrides this to read it over gRPC.
    /// </summary>
    protected virtual async Task<IReadOnlyList<(Notification Notification, EventMetadata? Metadata)>> ReadLogAsync<TApplication>(IRunner runner)
        where TApplication : Application
    {
        var application = runner.Get<TApplication>();
        return [.. (await application.Log.SelectAsync(1, 1000)).Select(n => (n, application.Mapper.DecodeMetadata(n.Metadata)))];
    }

    private static async Task AssertCountsAsync(ICounters counters, int rollOver, int fetchBall, int playDead)
    {
        Assert.Equal(rollOver, await counters.GetCountAsync("roll over"));
        Assert.Equal(fetchBall, await counters.GetCountAsync("fetch ball"));
        Assert.Equal(playDead, await counters.GetCountAsync("play dead"));
    }
}
