using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Tests.Runners.Durable;

/// <summary>The tutorial on in-memory SQLite: <c>:memory:</c> single-threaded, named shared-cache databases multi-threaded.</summary>
public sealed class SqliteMemoryTutorialTests
{
    [Fact]
    public async Task The_tutorial_runs_single_threaded_on_memory_databases()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var env = new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "eventsourcing.sqlite", ["SQLITE_DBNAME"] = ":memory:" };
        await using var runner = new SingleThreadedRunner(DogSchoolSystem.System, env);
        await runner.StartAsync(deadline.Token);

        await TutorialSteps.RunAsync(runner, deadline.Token);

        await runner.StopAsync(deadline.Token);
    }

    [Fact]
    public async Task The_tutorial_runs_multi_threaded_on_named_shared_cache_memory_databases()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var suffix = Guid.NewGuid().ToString("N");
        var env = new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "eventsourcing.sqlite",
            ["DOGSCHOOL_SQLITE_DBNAME"] = $"file:dogschool-{suffix}?mode=memory&cache=shared",
            ["COUNTERS_SQLITE_DBNAME"] = $"file:counters-{suffix}?mode=memory&cache=shared",
        };
        await using var runner = new MultiThreadedRunner(DogSchoolSystem.System, env);
        await runner.StartAsync(deadline.Token);

        await TutorialSteps.RunAsync(runner, deadline.Token);

        await runner.StopAsync(deadline.Token);
    }
}
