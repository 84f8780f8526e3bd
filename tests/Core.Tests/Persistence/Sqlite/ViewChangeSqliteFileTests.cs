using EventSourcing.Testing.Persistence.Sqlite;

namespace EventSourcing.Tests.Persistence.Sqlite;

public class ViewChangeSqliteFileTests : ViewChangeTests
{
    private readonly SqliteTestModules _modules = new();

    protected override Task<IProcessRecorder> CreateProcessRecorderAsync() => Task.FromResult(_modules.CreateFile().CreateProcessRecorder());

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
