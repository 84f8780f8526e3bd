namespace EventSourcing.Tests.Examples;

public sealed class SingleThreadedGameSystemTests : GameSystemTests
{
    protected override IRunner CreateRunner(EventSystem system) => new SingleThreadedRunner(system);
}
