using EventSourcing;
using EventSourcing.Examples.DogSchool;

// The tutorial (part 4, "Systems"): the dog school system on both in-process runners, with whatever
// persistence the environment configures (in memory by default).
//
// On durable storage (SQLite files, PostgreSQL) state outlives a runner and this program: the second runner,
// and every later run, starts from what is stored. Dogs already registered are kept (registering one twice
// is an error), the tricks are taught again, and each runner prints the counts its own commands added
// (the tutorial's 3, 2, 1) and, when storage held counts before, the totals now stored.
string[] dogs = ["Billy", "Milly", "Scrappy"];
(string Dog, string Trick)[] lessons =
[
    ("Billy", "roll over"), ("Milly", "roll over"), ("Scrappy", "roll over"),
    ("Billy", "fetch ball"), ("Milly", "fetch ball"), ("Billy", "play dead"),
];
string[] tricks = ["roll over", "fetch ball", "play dead"];

foreach (var runner in new IRunner[] { new SingleThreadedRunner(DogSchoolSystem.System), new MultiThreadedRunner(DogSchoolSystem.System) })
{
    await using (runner)
    {
        var name = runner.GetType().Name;
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();
        var counters = runner.Get<ICounters>();

        // A runner catches up with what was stored before it started; count from there.
        await runner.WaitForCatchUpAsync();
        var before = await CountAsync(counters, tricks);

        List<string> kept = [];
        foreach (var dog in dogs)
        {
            if (await IsRegisteredAsync(school, dog))
            {
                kept.Add(dog);
            }
            else
            {
                await school.RegisterDogAsync(dog);
            }
        }

        if (kept.Count > 0)
        {
            Console.WriteLine($"{name}: {string.Join(", ", kept)} already registered in storage, kept");
        }

        foreach (var (dog, trick) in lessons)
        {
            await school.AddTrickAsync(dog, trick);
        }

        // The multi-threaded runner processes asynchronously: wait until Counters has caught up.
        await runner.WaitForCatchUpAsync();
        var after = await CountAsync(counters, tricks);
        var added = string.Join(", ", tricks.Select((trick, i) => $"{trick} = {after[i] - before[i]}"));
        Console.WriteLine(before.All(count => count == 0)
            ? $"{name}: {added}"
            : $"{name}: {added} (added by this run; stored totals: {string.Join(", ", tricks.Select((trick, i) => $"{trick} = {after[i]}"))})");
        await runner.StopAsync();
    }
}

static async Task<int[]> CountAsync(ICounters counters, string[] tricks)
{
    var counts = new int[tricks.Length];
    for (var i = 0; i < tricks.Length; i++)
    {
        counts[i] = await counters.GetCountAsync(tricks[i]);
    }

    return counts;
}

static async Task<bool> IsRegisteredAsync(IDogSchool school, string dog)
{
    try
    {
        await school.GetDogAsync(dog);
        return true;
    }
    catch (AggregateNotFoundException)
    {
        return false;
    }
}
