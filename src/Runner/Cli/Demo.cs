using EventSourcing.Examples.DogSchool;
using EventSourcing.Runner.Grpc;

namespace EventSourcing.Runner.Cli;

/// <summary>The tutorial's commands, sent to the running nodes.</summary>
internal static class Demo
{
    public static async Task RunAsync(GrpcRunner runner, Action<string> say, CancellationToken cancellationToken)
    {
        if (!runner.System.Nodes.Contains("DogSchool") || !runner.System.Nodes.Contains("Counters"))
        {
            throw new ConfigurationException("--demo runs the dog school tutorial: use it with --system DogSchool");
        }

        var school = runner.Get<IDogSchool>();
        var counters = runner.Get<ICounters>();
        foreach (var dog in new[] { "Billy", "Milly", "Scrappy" })
        {
            say($"RegisterDog {dog} -> {await school.RegisterDogAsync(dog, cancellationToken)}");
        }

        foreach (var (dog, trick) in new[] { ("Billy", "roll over"), ("Milly", "roll over"), ("Scrappy", "roll over"), ("Billy", "fetch ball"), ("Milly", "fetch ball"), ("Billy", "play dead") })
        {
            await school.AddTrickAsync(dog, trick, cancellationToken);
            say($"AddTrick {dog} {trick}");
        }

        await runner.WaitForCatchUpAsync(cancellationToken);
        foreach (var trick in new[] { "roll over", "fetch ball", "play dead" })
        {
            say($"count {trick} = {await counters.GetCountAsync(trick, cancellationToken)}");
        }
    }
}
