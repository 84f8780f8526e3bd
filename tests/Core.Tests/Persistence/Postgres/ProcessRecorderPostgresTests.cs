using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Tests.Persistence.Postgres;

public class ProcessRecorderPostgresTests : ProcessRecorderTests
{
    private readonly PostgresTestModules _modules = new();

    protected override Task<IProcessRecorder> CreateProcessRecorderAsync() => Task.FromResult(_modules.CreateOnNewTables().CreateProcessRecorder());

    protected override Task<IApplicationRecorder> OpenTheSameTablesAsync() => Task.FromResult(_modules.OpenAgain().CreateApplicationRecorder());

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
