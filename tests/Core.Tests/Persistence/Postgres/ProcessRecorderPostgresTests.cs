using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Tests.Persistence.Postgres;

public class ProcessRecorderPostgresTests : ProcessRecorderTests
{
    private readonly PostgresTestModules _modules = new();

    protected override Task<IProcessRecorder> CreateProcessRecorderAsync() => Task.FromResult(_modules.CreateOnNewTables().CreateProcessRecorder());

    protected override Task<IProcessRecorder> OpenProcessRecorderOnTheSameTablesAsync() => Task.FromResult(_modules.OpenAgain().CreateProcessRecorder());

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
