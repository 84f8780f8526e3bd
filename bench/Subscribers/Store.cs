using System.Globalization;
using EventSourcing.Benchmarks;

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
internal sealed class PostgresStore(PostgresServer server) : Store
{
    public const int PoolSize = 5;

    public override string Name => "postgres";

    public override string Description => $"postgres {server.Description}, POSTGRES_POOL_SIZE={PoolSize}, a fresh schema per measurement";

    /// <summary>Reads the connection settings from the process environment and checks that the server answers.</summary>
    public static async Task<PostgresStore> ConnectAsync(CancellationToken cancellationToken) => new(await PostgresServer.ConnectAsync(cancellationToken));

    public override Task<StoreScope> OpenAsync(CancellationToken cancellationToken)
    {
        // The node creates the schema and its tables on first use.
        var schema = PostgresServer.NewSchemaName("bench_subscribers_");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOGSCHOOL_PERSISTENCE_MODULE"] = "postgres",
            ["DOGSCHOOL_POSTGRES_SCHEMA"] = schema,
            ["DOGSCHOOL_POSTGRES_POOL_SIZE"] = PoolSize.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in server.Settings)
        {
            environment[$"DOGSCHOOL_{key}"] = value;
        }

        return Task.FromResult(new StoreScope(environment, () => server.DropSchemaAsync(schema)));
    }
}
