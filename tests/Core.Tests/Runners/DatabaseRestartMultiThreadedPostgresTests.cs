using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

public sealed class DatabaseRestartMultiThreadedPostgresTests : DatabaseRestartPostgresTests
{
    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env) => new MultiThreadedRunner(system, env);
}
