using EventSourcing.Testing;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Tests.Metadata;

public sealed class SchemaUpgradeSqliteFileTests : SchemaUpgradeTests
{
    private readonly TempDirectory _directory = new();

    private string Path => _directory.File("dogschool.db");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["PERSISTENCE_MODULE"] = "sqlite",
        ["SQLITE_DBNAME"] = Path,
        ["IS_SNAPSHOTTING_ENABLED"] = "true",
    };

    protected override async Task CreateOldTablesAsync(StoredEvent stored)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE stored_events (
                notification_id INTEGER PRIMARY KEY AUTOINCREMENT,
                originator_id TEXT NOT NULL,
                originator_version INTEGER NOT NULL,
                topic TEXT NOT NULL,
                state BLOB NOT NULL);
            CREATE UNIQUE INDEX stored_events_aggregate_idx ON stored_events (originator_id, originator_version);
            CREATE TABLE log_identity (id INTEGER PRIMARY KEY CHECK (id = 1), log_id TEXT NOT NULL, application_name TEXT);
            INSERT INTO log_identity (id, log_id, application_name) VALUES (1, '6f1c1b58-5f3a-4c4e-9d0a-0d5c1b2a3e4f', 'DogSchool');
            CREATE TABLE stored_snapshots (
                originator_id TEXT NOT NULL,
                originator_version INTEGER NOT NULL,
                topic TEXT NOT NULL,
                state BLOB NOT NULL,
                PRIMARY KEY (originator_id, originator_version)) WITHOUT ROWID;
            INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES ($id, $version, $topic, $state);
            """;
        command.Parameters.AddWithValue("$id", stored.OriginatorId.ToString());
        command.Parameters.AddWithValue("$version", stored.OriginatorVersion);
        command.Parameters.AddWithValue("$topic", stored.Topic);
        command.Parameters.AddWithValue("$state", stored.State);
        await command.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
