using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

public sealed class DogSchoolTutorialSingleThreadedPopoTests : DogSchoolTutorialTests
{
    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => new SingleThreadedRunner(system, env);
}
