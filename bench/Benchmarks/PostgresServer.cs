using System.Globalization;
using EventSourcing.Postgres;
using Npgsql;

namespace EventSourcing.Benchmarks;

/// <summary>
/// The PostgreSQL server a benchmark measures on, from the <c>POSTGRES_*</c> variables, with its durability settings
/// read from the server itself; measurements take a fresh schema each and drop it afterwards.
/// </summary>
public sealed class PostgresServer
{
    private static readonly string[] Keys = ["POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DBNAME"];

    private PostgresServer(IReadOnlyDictionary<string, string> settings, PostgresOptions options)
    {
        Settings = settings;
        Options = options;
    }

    /// <summary>The <c>POSTGRES_*</c> variables that were set.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public PostgresOptions Options { get; }

    /// <summary>user@host:port/database and what the server says of itself (version, fsync, synchronous_commit, full_page_writes).</summary>
    public string Description { get; private set; } = "server not asked yet";

    /// <summary>Reads the connection settings from the process environment and checks that the server answers.</summary>
    public static async Task<PostgresServer> ConnectAsync(CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in Keys)
        {
            if (Environment.GetEnvironmentVariable(key) is { Length: > 0 } value)
            {
                settings[key] = value;
            }
        }

        if (!settings.ContainsKey("POSTGRES_DBNAME") || !settings.ContainsKey("POSTGRES_USER"))
        {
            throw new InvalidOperationException(
                "--persistence postgres needs POSTGRES_DBNAME and POSTGRES_USER (and POSTGRES_HOST, POSTGRES_PORT, POSTGRES_PASSWORD as needed); "
                + "scripts/bench.sh starts a throwaway server when they are not set");
        }

        var options = PostgresPersistenceModule.OptionsFrom(new ApplicationEnvironment(
            "Benchmarks", new Dictionary<string, string>(settings) { ["PERSISTENCE_MODULE"] = "postgres" }, includeProcessEnvironment: false));
        var server = new PostgresServer(settings, options);
        await using var connection = await server.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        server.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"{options.User}@{options.Host}:{options.Port}/{options.Database} (PostgreSQL {reader.GetString(0)}, fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, full_page_writes={reader.GetString(3)})");
        return server;
    }

    /// <summary>A schema name no other measurement uses; the applications create it and their tables on first use.</summary>
    public static string NewSchemaName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..16];

    public async ValueTask DropSchemaAsync(string schema)
    {
        await using var connection = await OpenConnectionAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>A connection of its own (no pooling) to the server's database, open.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Options.Host,
            Port = Options.Port,
            Username = Options.User,
            Password = Options.Password,
            Database = Options.Database,
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
