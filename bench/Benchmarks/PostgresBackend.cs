using System.Globalization;
using EventSourcing.Postgres;
using Npgsql;

namespace EventSourcing.Benchmarks;

/// <summary>
/// PostgreSQL from the <c>POSTGRES_*</c> variables, in a fresh schema per measurement (<c>POSTGRES_SCHEMA</c>),
/// dropped afterwards.
/// </summary>
public sealed class PostgresBackend : Backend
{
    private static readonly string[] Keys = ["POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DBNAME"];

    private readonly Dictionary<string, string> _settings;
    private readonly PostgresOptions _options;
    private string _serverSettings = "server settings not read yet";

    private PostgresBackend(Dictionary<string, string> settings, PostgresOptions options)
    {
        _settings = settings;
        _options = options;
    }

    public override string Name => "postgres";

    public override string Description => $"postgres {_options.User}@{_options.Host}:{_options.Port}/{_options.Database}, a fresh schema per measurement ({_serverSettings})";

    public override bool IsDurable => true;

    /// <summary>Reads the connection settings from the process environment and checks that the server answers.</summary>
    public static async Task<PostgresBackend> ConnectAsync(CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["PERSISTENCE_MODULE"] = "postgres" };
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

        var backend = new PostgresBackend(settings, PostgresPersistenceModule.OptionsFrom(new ApplicationEnvironment("Benchmarks", settings, includeProcessEnvironment: false)));
        await using var connection = await backend.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        backend._serverSettings = string.Create(
            CultureInfo.InvariantCulture,
            $"PostgreSQL {reader.GetString(0)}, fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}");
        return backend;
    }

    public override Task<BackendScope> OpenAsync(CancellationToken cancellationToken)
    {
        // The applications create the schema and their tables on first use.
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..16];
        var settings = new Dictionary<string, string>(_settings, StringComparer.Ordinal) { ["POSTGRES_SCHEMA"] = schema };
        return Task.FromResult(new BackendScope(settings, async () =>
        {
            await using var connection = await OpenConnectionAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }));
    }

    private async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = _options.Host,
            Port = _options.Port,
            Username = _options.User,
            Password = _options.Password,
            Database = _options.Database,
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
