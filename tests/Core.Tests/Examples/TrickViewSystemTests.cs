using EventSourcing.Examples.DogSchool;
using EventSourcing.Examples.TrickView;

namespace EventSourcing.Tests.Examples;

/// <summary>The TrickView system (exercise 3) on each runner: the materialized view holds exactly the taught tricks.</summary>
public abstract class TrickViewSystemTests
{
    protected abstract IRunner CreateRunner(EventSystem system);

    [Fact]
    public async Task Holds_one_row_per_dog_and_trick_with_the_times_it_was_taught()
    {
        await using var runner = CreateRunner(TrickViewSystem.System);
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();
        var view = runner.Get<ITrickView>();
        Assert.Empty(await view.GetRowsAsync());

        await school.RegisterDogAsync("Billy");
        await school.RegisterDogAsync("Milly");
        await school.RegisterDogAsync("Scrappy");
        await school.AddTrickAsync("Billy", "roll over");
        await school.AddTrickAsync("Milly", "roll over");
        await school.AddTrickAsync("Scrappy", "roll over");
        await school.AddTrickAsync("Billy", "fetch ball");
        await school.AddTrickAsync("Milly", "fetch ball");
        await school.AddTrickAsync("Billy", "play dead");
        await school.AddTrickAsync("Billy", "roll over");
        await runner.WaitForCatchUpAsync();

        DogTrick[] expected = [.. new[]
        {
            new DogTrick(Dog.CreateId("Billy"), "roll over", 2),
            new DogTrick(Dog.CreateId("Billy"), "fetch ball", 1),
            new DogTrick(Dog.CreateId("Billy"), "play dead", 1),
            new DogTrick(Dog.CreateId("Milly"), "roll over", 1),
            new DogTrick(Dog.CreateId("Milly"), "fetch ball", 1),
            new DogTrick(Dog.CreateId("Scrappy"), "roll over", 1),
        }.OrderBy(r => r.DogId.ToString(), StringComparer.Ordinal).ThenBy(r => r.Trick, StringComparer.Ordinal)];
        Assert.Equal(expected, await view.GetRowsAsync());
        Assert.Equal(["fetch ball", "play dead", "roll over"], await view.GetTricksAsync("Billy"));
        Assert.Empty(await view.GetTricksAsync("Rex"));
        Assert.Equal(3, await view.GetDogCountAsync("roll over"));
        Assert.Equal(2, await view.GetDogCountAsync("fetch ball"));
        Assert.Equal(1, await view.GetDogCountAsync("play dead"));
        Assert.Equal(0, await view.GetDogCountAsync("sit"));
        await runner.StopAsync();
    }
}
