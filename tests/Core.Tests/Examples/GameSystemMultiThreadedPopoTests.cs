namespace EventSourcing.Tests.Examples;

public sealed class GameSystemMultiThreadedPopoTests : GameSystemTests
{
    protected override IRunner CreateRunner(EventSystem system) => new MultiThreadedRunner(system);
}
