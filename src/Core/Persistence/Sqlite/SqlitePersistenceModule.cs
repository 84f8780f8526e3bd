using System.Globalization;
using EventSourcing.Sql;

namespace EventSourcing.Sqlite;

/// <summary>
/// SQLite, one database per application (<c>SQLITE_DBNAME</c>), with the tables <c>stored_events</c>,
/// <c>stored_snapshots</c>, <c>tracking</c> and <c>log_identity</c>. Settings: <c>SQLITE_DBNAME</c> (required: a file path, <c>:memory:</c>,
/// or <c>file:NAME?mode=memory&amp;cache=shared</c>), <c>SQLITE_LOCK_TIMEOUT</c> (seconds, default 5),
/// <c>SQLITE_SYNCHRONOUS</c> (OFF, NORMAL, FULL (default) or EXTRA; see <see cref="SqliteSynchronous"/>),
/// <c>CREATE_TABLE</c> (default true).
/// </summary>
public sealed class SqlitePersistenceModule : PersistenceModule
{
    private readonly SqliteDatastore _datastore;

    public SqlitePersistenceModule(SqliteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _datastore = new SqliteDatastore(options);
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
        var dbName = environment.Get("SQLITE_DBNAME") ?? throw new ConfigurationException(
            $"Application {environment.ApplicationName}: SQLITE_DBNAME (or {environment.Prefix}SQLITE_DBNAME) is required "
            + "with the sqlite persistence module (a file path, :memory:, or file:NAME?mode=memory&cache=shared)");
        return new SqlitePersistenceModule(new SqliteOptions(dbName)
        {
            LockTimeout = TimeSpan.FromSeconds(environment.GetDouble("SQLITE_LOCK_TIMEOUT", SqliteOptions.DefaultLockTimeout.TotalSeconds, min: 0, max: 86_400)),
            Synchronous = SynchronousOf(environment),
            CreateTables = environment.GetBool("CREATE_TABLE", true),
        });
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
