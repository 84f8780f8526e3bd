using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;

namespace EventSourcing.Runner.Cli;

/// <summary>
/// The tutorial's commands, sent to the running nodes. On a store that already holds an earlier run (the default
/// SQLite files outlive the runner), the dogs are not registered again, the tricks are added again, and each count
/// is the total with this run's part stated beside it.
/// </summary>
internal static class Demo
{
    private static readonly string[] Dogs = ["Billy", "Milly", "Scrappy"];

    private static readonly (string Dog, string Trick)[] Lessons =
        [("Billy", "roll over"), ("Milly", "roll over"), ("Scrappy", "roll over"), ("Billy", "fetch ball"), ("Milly", "fetch ball"), ("Billy", "play dead")];

    private static readonly string[] CountedTricks = ["roll over", "fetch ball", "play dead"];

    public static async Task RunAsync(GrpcRunner runner, Action<string> say, CancellationToken cancellationToken)
    {
        if (!runner.System.Nodes.Contains("DogSchool") || !runner.System.Nodes.Contains("Counters"))
        {
            throw new ConfigurationException("--demo runs the dog school tutorial: use it with --system DogSchool");
        }

        var school = runner.Get<IDogSchool>();
        var counters = runner.Get<ICounters>();
        await runner.WaitForCatchUpAsync(cancellationToken);
        var earlier = (await runner.Node("DogSchool").Client.StatusAsync(cancellationToken)).MaxNotificationId;
        if (earlier > 0)
        {
            say($"DogSchool already holds {earlier} events from earlier runs on this store: the counts below are totals, this run's part in brackets");
        }

        var before = await CountsAsync(counters, cancellationToken);
        foreach (var dog in Dogs)
        {
            // On a fresh store nothing is registered: asking would only log a NOT_FOUND per dog on the node.
            say(earlier > 0 && await IsRegisteredAsync(school, dog, cancellationToken)
                ? $"RegisterDog {dog}: already registered by an earlier run"
                : $"RegisterDog {dog} -> {await school.RegisterDogAsync(dog, cancellationToken)}");
        }

        foreach (var (dog, trick) in Lessons)
        {
            await school.AddTrickAsync(dog, trick, cancellationToken);
            say($"AddTrick {dog} {trick}");
        }

        await runner.WaitForCatchUpAsync(cancellationToken);
        var after = await CountsAsync(counters, cancellationToken);
        foreach (var trick in CountedTricks)
        {
            say(earlier > 0 ? $"count {trick} = {after[trick]} (+{after[trick] - before[trick]} this run)" : $"count {trick} = {after[trick]}");
        }
    }

    private static async Task<bool> IsRegisteredAsync(IDogSchool school, string dog, CancellationToken cancellationToken)
    {
        try
        {
            await school.GetDogAsync(dog, cancellationToken);
            return true;
        }
        catch (AggregateNotFoundException)
        {
            return false;
        }
    }

    private static async Task<Dictionary<string, int>> CountsAsync(ICounters counters, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var trick in CountedTricks)
        {
            counts[trick] = await counters.GetCountAsync(trick, cancellationToken);
        }

        return counts;
    }
}
