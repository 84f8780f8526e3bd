namespace EventSourcing.Tests.Examples;

public sealed class MultiThreadedGameSystemTests : GameSystemTests
{
    protected override IRunner CreateRunner(EventSystem system) => new MultiThreadedRunner(system);
}
