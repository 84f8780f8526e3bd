namespace EventSourcing.Tests.Examples;

public sealed class GameSystemSingleThreadedPopoTests : GameSystemTests
{
    protected override IRunner CreateRunner(EventSystem system) => new SingleThreadedRunner(system);
}
