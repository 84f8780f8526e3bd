namespace EventSourcing.Tests.Examples;

public sealed class SingleThreadedTrickViewSystemTests : TrickViewSystemTests
{
    protected override IRunner CreateRunner(EventSystem system) => new SingleThreadedRunner(system);
}
