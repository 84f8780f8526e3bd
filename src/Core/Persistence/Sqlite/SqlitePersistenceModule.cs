using System.Globalization;
using EventSourcing.Sql;

namespace EventSourcing.Sqlite;

/// <summary>
/// SQLite, one database per application (<c>SQLITE_DBNAME</c>), with the tables <c>stored_events</c>,
/// <c>stored_snapshots</c>, <c>tracking</c>, <c>leader_logs</c> and <c>log_identity</c> (which also records the
/// application the database belongs to). Settings: <c>SQLITE_DBNAME</c> (required: a file path, <c>:memory:</c>,
/// or <c>file:NAME?mode=memory&amp;cache=shared</c>), <c>SQLITE_LOCK_TIMEOUT</c> (seconds, default 5),
/// <c>SQLITE_SYNCHRONOUS</c> (OFF, NORMAL, FULL (default) or EXTRA; see <see cref="SqliteSynchronous"/>),
/// <c>CREATE_TABLE</c> (default true).
/// </summary>
public sealed class SqlitePersistenceModule : PersistenceModule
{
    /// <summary>The setting that names the database.</summary>
    public const string DbNameKey = "SQLITE_DBNAME";

    private readonly SqliteDatastore _datastore;

    /// <summary>
    /// The database of <paramref name="applicationName"/>: the first application to use it is recorded as its owner, and
    /// the recorders of another one raise <see cref="ConfigurationException"/> on their first use.
    /// </summary>
    public SqlitePersistenceModule(SqliteOptions options, string applicationName)
        : this(options, applicationName, DbNameKey)
    {
    }

    private SqlitePersistenceModule(SqliteOptions options, string applicationName, string dbNameSetting)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(applicationName);
        Options = options;
        _datastore = new SqliteDatastore(options, applicationName, dbNameSetting);
    }

    public SqliteOptions Options { get; }

    public override string Name => "sqlite";

    public override string Description => Options.Storage switch
    {
        SqliteStorage.File => $"sqlite {Options.DbName} (WAL, synchronous={Options.Synchronous.ToString().ToUpperInvariant()})",
        _ => $"sqlite {Options.DbName} (in memory)",
    };

    public static PersistenceModule Create(ApplicationEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var dbName = environment.Get(DbNameKey) ?? throw new ConfigurationException(
            $"Application {environment.ApplicationName}: {DbNameKey} (or {environment.Prefix}{DbNameKey}) is required "
            + "with the sqlite persistence module (a file path, :memory:, or file:NAME?mode=memory&cache=shared)");
        var options = new SqliteOptions(dbName)
        {
            LockTimeout = TimeSpan.FromSeconds(environment.GetDouble("SQLITE_LOCK_TIMEOUT", SqliteOptions.DefaultLockTimeout.TotalSeconds, min: 0, max: 86_400)),
            Synchronous = SynchronousOf(environment),
            CreateTables = environment.GetBool("CREATE_TABLE", true),
        };
        return new SqlitePersistenceModule(options, environment.ApplicationName, environment.NameOf(DbNameKey));
    }

    public override IApplicationRecorder CreateApplicationRecorder() => new SqlApplicationRecorder(_datastore);

    public override IProcessRecorder CreateProcessRecorder() => new SqlProcessRecorder(_datastore);

    public override IAggregateRecorder CreateSnapshotRecorder() => new SqlAggregateRecorder(_datastore, _datastore.Sql.Snapshots);

    public override async ValueTask DisposeAsync()
    {
        await _datastore.DisposeAsync();
        await base.DisposeAsync();
    }

    private static SqliteSynchronous SynchronousOf(ApplicationEnvironment environment)
    {
        var value = environment.Get("SQLITE_SYNCHRONOUS");
        if (value is null)
        {
            return SqliteSynchronous.Full;
        }

        var text = value.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level is >= 0 and <= 3)
        {
            return (SqliteSynchronous)level;
        }

        return Enum.TryParse<SqliteSynchronous>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(text[0])
            ? parsed
            : throw new ConfigurationException(
                $"Application {environment.ApplicationName}: {environment.NameOf("SQLITE_SYNCHRONOUS")}='{value}' is not a synchronous level (use OFF, NORMAL, FULL or EXTRA)");
    }
}
