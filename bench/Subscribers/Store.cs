using System.Globalization;
using EventSourcing.Postgres;
using Npgsql;

namespace EventSourcing.Subscribers;

/// <summary>Where a measured node keeps its events: a fresh database per measurement, removed afterwards.</summary>
internal abstract class Store
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>The node's environment for a fresh, empty log, and how to remove it afterwards.</summary>
    public abstract Task<StoreScope> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>The environment of one measurement's node; disposing it removes its database.</summary>
internal sealed class StoreScope(IReadOnlyDictionary<string, string> environment, Func<ValueTask> remove) : IAsyncDisposable
{
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    public ValueTask DisposeAsync() => remove();
}

/// <summary>A SQLite file in a fresh temporary directory per measurement (WAL, the default SQLITE_SYNCHRONOUS=FULL).</summary>
internal sealed class SqliteStore : Store
{
    public override string Name => "sqlite";

    public override string Description => $"sqlite, a file in a fresh directory under {Path.GetTempPath()} per measurement (WAL, SQLITE_SYNCHRONOUS=FULL)";

    public override Task<StoreScope> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("eventsourcing-subscribers-");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOGSCHOOL_PERSISTENCE_MODULE"] = "sqlite",
            ["DOGSCHOOL_SQLITE_DBNAME"] = Path.Combine(directory.FullName, "dogschool.db"),
            ["DOGSCHOOL_SQLITE_SYNCHRONOUS"] = "FULL",
        };
        return Task.FromResult(new StoreScope(environment, () =>
        {
            directory.Delete(recursive: true);
            return ValueTask.CompletedTask;
        }));
    }
}

/// <summary>
/// PostgreSQL from the <c>POSTGRES_*</c> variables, a fresh schema per measurement (dropped afterwards), and the node's
/// pool limited to <see cref="PoolSize"/> connections.
/// </summary>
internal sealed class PostgresStore : Store
{
    public const int PoolSize = 5;

    private static readonly string[] Keys = ["POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DBNAME"];

    private readonly Dictionary<string, string> _settings;
    private readonly PostgresOptions _options;
    private string _server = "server not asked yet";

    private PostgresStore(Dictionary<string, string> settings, PostgresOptions options)
    {
        _settings = settings;
        _options = options;
    }

    public override string Name => "postgres";

    public override string Description
        => $"postgres {_options.User}@{_options.Host}:{_options.Port}/{_options.Database}, POSTGRES_POOL_SIZE={PoolSize}, a fresh schema per measurement ({_server})";

    /// <summary>Reads the connection settings from the process environment and checks that the server answers.</summary>
    public static async Task<PostgresStore> ConnectAsync(CancellationToken cancellationToken)
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
                "--persistence postgres needs POSTGRES_DBNAME and POSTGRES_USER (and POSTGRES_HOST, POSTGRES_PORT, POSTGRES_PASSWORD as needed); "
                + "scripts/bench.sh starts a throwaway server when they are not set");
        }

        var options = PostgresPersistenceModule.OptionsFrom(new ApplicationEnvironment(
            "Subscribers", new Dictionary<string, string>(settings) { ["PERSISTENCE_MODULE"] = "postgres" }, includeProcessEnvironment: false));
        var store = new PostgresStore(settings, options);
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        store._server = string.Create(
            CultureInfo.InvariantCulture,
            $"PostgreSQL {reader.GetString(0)}, fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}");
        return store;
    }

    public override Task<StoreScope> OpenAsync(CancellationToken cancellationToken)
    {
        // The node creates the schema and its tables on first use.
        var schema = "bench_subscribers_" + Guid.NewGuid().ToString("N")[..16];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOGSCHOOL_PERSISTENCE_MODULE"] = "postgres",
            ["DOGSCHOOL_POSTGRES_SCHEMA"] = schema,
            ["DOGSCHOOL_POSTGRES_POOL_SIZE"] = PoolSize.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in _settings)
        {
            environment[$"DOGSCHOOL_{key}"] = value;
        }

        return Task.FromResult(new StoreScope(environment, async () =>
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
