namespace EventSourcing.Tests.Examples;

public sealed class TrickViewSystemMultiThreadedPopoTests : TrickViewSystemTests
{
    protected override IRunner CreateRunner(EventSystem system) => new MultiThreadedRunner(system);
}
