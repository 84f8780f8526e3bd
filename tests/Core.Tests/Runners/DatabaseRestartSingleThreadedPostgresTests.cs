using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

public sealed class DatabaseRestartSingleThreadedPostgresTests : DatabaseRestartPostgresTests
{
    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env) => new SingleThreadedRunner(system, env);
}
