using Npgsql;

namespace EventSourcing.Tests.Persistence.Postgres;

public sealed class PostgresLogIdentityTests : LogIdentityTests
{
    private readonly PostgresTestModules _modules = new();

    protected override string LogIdentityTable => "tests_log_identity";

    protected override string EventsTable => "tests_events";

    protected override string LeaderLogsTable => "tests_leader_logs";

    protected override PersistenceModule OpenModule(bool createTables = true) => _modules.Create(createTables
        ? null
        : PostgresTestServer.Options(_modules.Schema, new Dictionary<string, string> { ["CREATE_TABLE"] = "false" }));

    protected override async Task DropTablesAsync(params string[] tables)
    {
        await using var connection = await PostgresTestServer.OpenAsync();
        await using var command = new NpgsqlCommand(string.Concat(tables.Select(table => $"DROP TABLE \"{_modules.Schema}\".{table};")), connection);
        await command.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
