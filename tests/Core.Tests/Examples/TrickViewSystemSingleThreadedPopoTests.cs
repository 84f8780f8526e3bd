namespace EventSourcing.Tests.Examples;

public sealed class TrickViewSystemSingleThreadedPopoTests : TrickViewSystemTests
{
    protected override IRunner CreateRunner(EventSystem system) => new SingleThreadedRunner(system);
}
