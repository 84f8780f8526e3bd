using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

public class RunnerMultiThreadedPopoTests : RunnerTests
{
    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => new MultiThreadedRunner(system, env);

    [Fact(Skip = "In memory (POPO), nothing outlives a runner's applications; see Followers_catch_up_with_events_saved_before_the_first_wait")]
    public override Task Followers_catch_up_with_events_saved_before_start() => base.Followers_catch_up_with_events_saved_before_start();
}
