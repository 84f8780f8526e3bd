using EventSourcing.Postgres;
using EventSourcing.Sqlite;

namespace EventSourcing.Tests.Persistence;

public class PersistenceConfigurationTests
{
    [Theory]
    [InlineData("sqlite", "sqlite")]
    [InlineData("eventsourcing.sqlite", "sqlite")]
    [InlineData("postgres", "postgres")]
    [InlineData("eventsourcing.postgres", "postgres")]
    [InlineData("eventsourcing.popo", "popo")]
    public async Task Accepts_short_and_python_module_names(string value, string expected)
    {
        await using var module = PersistenceModule.FromEnvironment(Environment(new()
        {
            ["PERSISTENCE_MODULE"] = value,
            ["SQLITE_DBNAME"] = ":memory:",
            ["POSTGRES_DBNAME"] = "eventsourcing",
            ["POSTGRES_USER"] = "eventsourcing",
        }));

        Assert.Equal(expected, module.Name);
    }

    [Fact]
    public async Task Settings_prefixed_with_the_application_name_win()
    {
        await using var module = PersistenceModule.FromEnvironment(Environment(new()
        {
            ["PERSISTENCE_MODULE"] = "popo",
            ["DOGSCHOOL_PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_DBNAME"] = "shared.db",
            ["DOGSCHOOL_SQLITE_DBNAME"] = "file:dogschool?mode=memory&cache=shared",
        }));

        var sqlite = Assert.IsType<SqlitePersistenceModule>(module);
        Assert.Equal(SqliteStorage.SharedMemory, sqlite.Options.Storage);
    }

    [Fact]
    public void A_missing_sqlite_dbname_names_the_variable_and_the_application()
    {
        var error = Assert.Throws<ConfigurationException>(() => PersistenceModule.FromEnvironment(Environment(new() { ["PERSISTENCE_MODULE"] = "sqlite" })));

        Assert.StartsWith("Application DogSchool: SQLITE_DBNAME (or DOGSCHOOL_SQLITE_DBNAME) is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POSTGRES_DBNAME")]
    [InlineData("POSTGRES_USER")]
    public void A_missing_postgres_setting_names_the_variable_and_the_application(string missing)
    {
        var settings = new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "postgres",
            ["POSTGRES_DBNAME"] = "eventsourcing",
            ["POSTGRES_USER"] = "eventsourcing",
        };
        settings.Remove(missing);

        var error = Assert.Throws<ConfigurationException>(() => PersistenceModule.FromEnvironment(Environment(settings)));

        Assert.StartsWith($"Application DogSchool: {missing} (or DOGSCHOOL_{missing}) is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DOGSCHOOL_POSTGRES_PORT", "five")]
    [InlineData("POSTGRES_PORT", "70000")]
    [InlineData("POSTGRES_POOL_SIZE", "0")]
    [InlineData("POSTGRES_LOCK_TIMEOUT", "-1")]
    [InlineData("POSTGRES_CONNECT_TIMEOUT", "soon")]
    [InlineData("CREATE_TABLE", "maybe")]
    public void An_invalid_postgres_setting_names_the_variable(string key, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => PersistenceModule.FromEnvironment(Environment(new()
        {
            ["PERSISTENCE_MODULE"] = "postgres",
            ["POSTGRES_DBNAME"] = "eventsourcing",
            ["POSTGRES_USER"] = "eventsourcing",
            [key] = value,
        })));

        Assert.Contains($"{key}='{value}'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Application DogSchool:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SQLITE_SYNCHRONOUS", "sometimes")]
    [InlineData("SQLITE_SYNCHRONOUS", "4")]
    [InlineData("SQLITE_LOCK_TIMEOUT", "-2")]
    public void An_invalid_sqlite_setting_names_the_variable(string key, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => PersistenceModule.FromEnvironment(Environment(new()
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_DBNAME"] = ":memory:",
            [key] = value,
        })));

        Assert.Contains($"{key}='{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, SqliteSynchronous.Full)]
    [InlineData("normal", SqliteSynchronous.Normal)]
    [InlineData("OFF", SqliteSynchronous.Off)]
    [InlineData("3", SqliteSynchronous.Extra)]
    public async Task Reads_the_sqlite_synchronous_level(string? value, SqliteSynchronous expected)
    {
        var settings = new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", ["SQLITE_DBNAME"] = "dogschool.db" };
        if (value is not null)
        {
            settings["SQLITE_SYNCHRONOUS"] = value;
        }

        await using var module = (SqlitePersistenceModule)PersistenceModule.FromEnvironment(Environment(settings));

        Assert.Equal(expected, module.Options.Synchronous);
        Assert.Contains($"synchronous={expected.ToString().ToUpperInvariant()}", module.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_postgres_description_never_shows_the_password()
    {
        await using var module = PersistenceModule.FromEnvironment(Environment(new()
        {
            ["PERSISTENCE_MODULE"] = "postgres",
            ["POSTGRES_DBNAME"] = "eventsourcing",
            ["POSTGRES_USER"] = "eventsourcing",
            ["POSTGRES_PASSWORD"] = "s3cret-Pa55",
            ["POSTGRES_HOST"] = "db.example",
            ["POSTGRES_SCHEMA"] = "school",
        }));

        Assert.Equal("postgres eventsourcing@db.example:5432/eventsourcing schema school (tables dogschool_events, dogschool_tracking)", module.Description);
        Assert.DoesNotContain("s3cret", ((PostgresPersistenceModule)module).Options.ToString(), StringComparison.Ordinal);
    }

    private static ApplicationEnvironment Environment(Dictionary<string, string> settings)
        => new("DogSchool", settings, includeProcessEnvironment: false);
}
