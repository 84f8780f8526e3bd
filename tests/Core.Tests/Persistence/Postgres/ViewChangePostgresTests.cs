using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Tests.Persistence.Postgres;

public class ViewChangePostgresTests : ViewChangeTests
{
    private readonly PostgresTestModules _modules = new();

    protected override string ViewTable => $"\"{_modules.Schema}\".trick_view";

    protected override Task<IProcessRecorder> CreateProcessRecorderAsync() => Task.FromResult(_modules.Create().CreateProcessRecorder());

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
