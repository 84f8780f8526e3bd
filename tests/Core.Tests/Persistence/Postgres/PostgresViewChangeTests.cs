using EventSourcing.Postgres;

namespace EventSourcing.Tests.Persistence.Postgres;

public class PostgresViewChangeTests : ViewChangeTests
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();
    private readonly List<PersistenceModule> _modules = [];

    protected override string ViewTable => $"\"{_schema}\".trick_view";

    protected override Task<IProcessRecorder> CreateProcessRecorderAsync()
    {
        var module = new PostgresPersistenceModule(PostgresTestServer.Options(_schema), "Tests");
        _modules.Add(module);
        return Task.FromResult(module.CreateProcessRecorder());
    }

    public override async Task DisposeAsync()
    {
        foreach (var module in _modules)
        {
            await module.DisposeAsync();
        }

        await PostgresTestServer.DropSchemaAsync(_schema);
    }
}
