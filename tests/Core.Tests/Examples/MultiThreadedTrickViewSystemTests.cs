namespace EventSourcing.Tests.Examples;

public sealed class MultiThreadedTrickViewSystemTests : TrickViewSystemTests
{
    protected override IRunner CreateRunner(EventSystem system) => new MultiThreadedRunner(system);
}
