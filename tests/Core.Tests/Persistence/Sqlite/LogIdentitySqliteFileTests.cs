using EventSourcing.Sqlite;
using EventSourcing.Testing.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Tests.Persistence.Sqlite;

public sealed class LogIdentitySqliteFileTests : LogIdentityTests
{
    private readonly SqliteTestModules _modules = new();

    private string Path => _modules.Directory.File("app.db");

    protected override string LogIdentityTable => "log_identity";

    protected override string EventsTable => "stored_events";

    protected override PersistenceModule OpenModule(bool createTables = true)
        => _modules.Create(new SqliteOptions(Path) { CreateTables = createTables });

    protected override async Task DropTablesAsync(params string[] tables)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = string.Concat(tables.Select(table => $"DROP TABLE {table};"));
        await command.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync() => _modules.DisposeAsync().AsTask();
}
