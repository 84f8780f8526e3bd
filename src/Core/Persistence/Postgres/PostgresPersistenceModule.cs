using EventSourcing.Sql;

namespace EventSourcing.Postgres;

/// <summary>
/// PostgreSQL: every application in one database, each with its tables <c>{name}_events</c>, <c>{name}_snapshots</c>,
/// <c>{name}_tracking</c>, <c>{name}_leader_logs</c> and <c>{name}_log_identity</c> (name = application name
/// lower-cased; the log identity also records the application the tables belong to). Settings:
/// <c>POSTGRES_DBNAME</c> and <c>POSTGRES_USER</c> (required), <c>POSTGRES_HOST</c> (default localhost),
/// <c>POSTGRES_PORT</c> (5432), <c>POSTGRES_PASSWORD</c>, <c>POSTGRES_SCHEMA</c>, <c>POSTGRES_CONNECT_TIMEOUT</c>
/// (seconds, 5), <c>POSTGRES_POOL_SIZE</c> (10), <c>POSTGRES_LOCK_TIMEOUT</c> (seconds, 0 = no limit),
/// <c>CREATE_TABLE</c> (true).
/// </summary>
public sealed class PostgresPersistenceModule : PersistenceModule
{
    private readonly PostgresDatastore _datastore;

    public PostgresPersistenceModule(PostgresOptions options, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(applicationName);
        Options = options;
        _datastore = new PostgresDatastore(options, applicationName);
    }

    public PostgresOptions Options { get; }

    internal PostgresDatastore Datastore => _datastore;

    public override string Name => "postgres";

    public override string Description => $"postgres {Options} (tables {_datastore.Sql.Events.Name}, {_datastore.Sql.TrackingTable})";

    public static PersistenceModule Create(ApplicationEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new PostgresPersistenceModule(OptionsFrom(environment), environment.ApplicationName);
    }

    /// <summary>Reads the <c>POSTGRES_*</c> settings; a missing or invalid one raises <see cref="ConfigurationException"/> naming it.</summary>
    public static PostgresOptions OptionsFrom(ApplicationEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new PostgresOptions(Required(environment, "POSTGRES_DBNAME"), Required(environment, "POSTGRES_USER"))
        {
            Host = environment.Get("POSTGRES_HOST") ?? "localhost",
            Port = environment.GetInt("POSTGRES_PORT", 5432, min: 1, max: 65535),
            Password = environment.Get("POSTGRES_PASSWORD"),
            Schema = environment.Get("POSTGRES_SCHEMA"),
            ConnectTimeout = TimeSpan.FromSeconds(environment.GetInt("POSTGRES_CONNECT_TIMEOUT", 5, min: 1, max: 3600)),
            PoolSize = environment.GetInt("POSTGRES_POOL_SIZE", 10, min: 1, max: 1000),
            LockTimeout = TimeSpan.FromSeconds(environment.GetDouble("POSTGRES_LOCK_TIMEOUT", 0, min: 0, max: 86_400)),
            CreateTables = environment.GetBool("CREATE_TABLE", true),
        };
    }

    public override IApplicationRecorder CreateApplicationRecorder() => new SqlApplicationRecorder(_datastore);

    public override IProcessRecorder CreateProcessRecorder() => new SqlProcessRecorder(_datastore);

    public override IAggregateRecorder CreateSnapshotRecorder() => new SqlAggregateRecorder(_datastore, _datastore.Sql.Snapshots);

    public override async ValueTask DisposeAsync()
    {
        await _datastore.DisposeAsync();
        await base.DisposeAsync();
    }

    private static string Required(ApplicationEnvironment environment, string key)
        => environment.Get(key) ?? throw new ConfigurationException(
            $"Application {environment.ApplicationName}: {key} (or {environment.Prefix}{key}) is required with the postgres persistence module");
}
