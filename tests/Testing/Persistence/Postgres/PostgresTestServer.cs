using Npgsql;

namespace EventSourcing.Testing.Persistence.Postgres;

/// <summary>
/// The PostgreSQL server the tests use, from the standard <c>POSTGRES_*</c> variables (scripts/test.sh starts a
/// throwaway one and sets them). Without them the PostgreSQL tests fail, saying so; they never skip.
/// </summary>
public static class PostgresTestServer
{
    private static readonly string[] Keys = ["POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DBNAME"];

    /// <summary>The connection settings, as an application's environment takes them.</summary>
    public static IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in Keys)
            {
                if (System.Environment.GetEnvironmentVariable(key) is { Length: > 0 } value)
                {
                    settings[key] = value;
                }
            }

            if (!settings.ContainsKey("POSTGRES_DBNAME") || !settings.ContainsKey("POSTGRES_USER"))
            {
                throw new InvalidOperationException(
                    "The PostgreSQL tests need a server: set POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DBNAME "
                    + "(eval \"$(scripts/start-postgres.sh)\" prints them), or run scripts/test.sh, which starts a throwaway server.");
            }

            return settings;
        }
    }

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchemaName() => "test_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The settings plus <c>PERSISTENCE_MODULE=postgres</c> and <c>POSTGRES_SCHEMA</c>.</summary>
    public static Dictionary<string, string> Environment(string schema, IReadOnlyDictionary<string, string>? more = null)
    {
        var env = new Dictionary<string, string>(Settings, StringComparer.Ordinal)
        {
            ["PERSISTENCE_MODULE"] = "postgres",
            ["POSTGRES_SCHEMA"] = schema,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return env;
    }

    public static EventSourcing.Postgres.PostgresOptions Options(string schema, IReadOnlyDictionary<string, string>? more = null)
        => EventSourcing.Postgres.PostgresPersistenceModule.OptionsFrom(new ApplicationEnvironment("Tests", Environment(schema, more), includeProcessEnvironment: false));

    /// <summary>Opens a plain connection, for looking at tables the way psql would.</summary>
    public static async Task<NpgsqlConnection> OpenAsync()
    {
        var settings = Settings;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = settings.GetValueOrDefault("POSTGRES_HOST", "localhost"),
            Port = int.Parse(settings.GetValueOrDefault("POSTGRES_PORT", "5432"), System.Globalization.CultureInfo.InvariantCulture),
            Username = settings["POSTGRES_USER"],
            Password = settings.GetValueOrDefault("POSTGRES_PASSWORD"),
            Database = settings["POSTGRES_DBNAME"],
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
