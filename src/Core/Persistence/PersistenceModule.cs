using EventSourcing.Popo;

namespace EventSourcing;

/// <summary>
/// Creates the recorders of one application on one backend. Chosen by <c>PERSISTENCE_MODULE</c>
/// (<c>popo</c> by default, <c>sqlite</c>, <c>postgres</c>; the Python names
/// <c>eventsourcing.popo|sqlite|postgres</c> are accepted too).
/// </summary>
public abstract class PersistenceModule : IAsyncDisposable
{
    /// <summary>The backend's short name: <c>popo</c>, <c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Where the data lives, for status output (never includes a password).</summary>
    public abstract string Description { get; }

    public abstract IApplicationRecorder CreateApplicationRecorder();

    public abstract IProcessRecorder CreateProcessRecorder();

    public abstract IAggregateRecorder CreateSnapshotRecorder();

    public static PersistenceModule FromEnvironment(ApplicationEnvironment environment) => NameOf(environment) switch
    {
        "sqlite" => Sqlite.SqlitePersistenceModule.Create(environment),
        "postgres" => Postgres.PostgresPersistenceModule.Create(environment),
        _ => new PopoPersistenceModule(),
    };

    /// <summary>
    /// The short name of the module the application's <c>PERSISTENCE_MODULE</c> chooses: <c>popo</c> (also when it is
    /// not set), <c>sqlite</c> or <c>postgres</c>.
    /// </summary>
    /// <exception cref="ConfigurationException">The setting names no module.</exception>
    public static string NameOf(ApplicationEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var module = environment.Get("PERSISTENCE_MODULE") ?? "popo";
        return Normalize(module) switch
        {
            var name and ("popo" or "sqlite" or "postgres") => name,
            _ => throw new ConfigurationException(
                $"Application {environment.ApplicationName}: {environment.NameOf("PERSISTENCE_MODULE")}='{module}' is not a persistence module (use popo, sqlite or postgres)"),
        };
    }

    private static string Normalize(string module)
    {
        var name = module.Trim().ToLowerInvariant();
        return name.StartsWith("eventsourcing.", StringComparison.Ordinal) ? name["eventsourcing.".Length..] : name;
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
