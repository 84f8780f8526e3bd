using EventSourcing.Testing.Persistence.Postgres;
using Npgsql;

namespace EventSourcing.Tests.Persistence.Postgres;

public sealed class LogIdentityPostgresTests : LogIdentityTests
{
    private readonly PostgresTestModules _modules = new();

    protected override string LogIdentityTable => "tests_log_identity";

    protected override string EventsTable => "tests_events";

    protected override string LeaderLogsTable => "tests_leader_logs";

    protected override string DatabaseSetting => "POSTGRES_SCHEMA";

    protected override PersistenceModule OpenModule(bool createTables = true, string applicationName = "Tests") => _modules.Create(
        createTables ? null : PostgresTestServer.Options(_modules.Schema, new Dictionary<string, string> { ["CREATE_TABLE"] = "false" }),
        applicationName);

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = await PostgresTestServer.OpenAsync();
        await using var command = new NpgsqlCommand($"SET search_path TO \"{_modules.Schema}\"; {sql}", connection);
        await command.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
