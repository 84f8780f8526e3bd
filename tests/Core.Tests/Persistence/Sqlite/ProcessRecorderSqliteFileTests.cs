using EventSourcing.Testing.Persistence.Sqlite;

namespace EventSourcing.Tests.Persistence.Sqlite;

public class ProcessRecorderSqliteFileTests : ProcessRecorderTests
{
    private readonly SqliteTestModules _modules = new();

    protected override Task<IProcessRecorder> CreateProcessRecorderAsync() => Task.FromResult(_modules.CreateFile().CreateProcessRecorder());

    protected override Task<IProcessRecorder> OpenProcessRecorderOnTheSameTablesAsync() => Task.FromResult(_modules.OpenAgain().CreateProcessRecorder());

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
