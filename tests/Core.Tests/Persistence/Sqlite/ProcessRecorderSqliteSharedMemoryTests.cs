using EventSourcing.Sqlite;
using EventSourcing.Testing.Persistence.Sqlite;

namespace EventSourcing.Tests.Persistence.Sqlite;

public class ProcessRecorderSqliteSharedMemoryTests : ProcessRecorderTests
{
    private readonly SqliteTestModules _modules = new();

    protected override Task<IProcessRecorder> CreateProcessRecorderAsync()
        => Task.FromResult(_modules.Create(new SqliteOptions($"file:tests-{Guid.NewGuid():N}?mode=memory&cache=shared")).CreateProcessRecorder());

    protected override Task<IProcessRecorder> OpenProcessRecorderOnTheSameTablesAsync() => Task.FromResult(_modules.OpenAgain().CreateProcessRecorder());

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
