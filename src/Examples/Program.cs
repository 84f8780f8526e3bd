using EventSourcing;
using EventSourcing.Examples.DogSchool;

// The tutorial (part 4, "Systems"): the dog school system on both in-process runners,
// with whatever persistence the environment configures (in memory by default).
foreach (var runner in new IRunner[] { new SingleThreadedRunner(DogSchoolSystem.System), new MultiThreadedRunner(DogSchoolSystem.System) })
{
    await using (runner)
    {
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();
        var counters = runner.Get<ICounters>();

        await school.RegisterDogAsync("Billy");
        await school.RegisterDogAsync("Milly");
        await school.RegisterDogAsync("Scrappy");

        await school.AddTrickAsync("Billy", "roll over");
        await school.AddTrickAsync("Milly", "roll over");
        await school.AddTrickAsync("Scrappy", "roll over");
        await school.AddTrickAsync("Billy", "fetch ball");
        await school.AddTrickAsync("Milly", "fetch ball");
        await school.AddTrickAsync("Billy", "play dead");

        // The multi-threaded runner processes asynchronously: wait until Counters has caught up.
        await runner.WaitForCatchUpAsync();
        Console.WriteLine(
            $"{runner.GetType().Name}: roll over = {await counters.GetCountAsync("roll over")}, " +
            $"fetch ball = {await counters.GetCountAsync("fetch ball")}, " +
            $"play dead = {await counters.GetCountAsync("play dead")}");
        await runner.StopAsync();
    }
}
