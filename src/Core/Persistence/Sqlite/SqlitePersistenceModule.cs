namespace EventSourcing.Sqlite;

/// <summary>SQLite, one database per application. (Implemented with the durable-persistence work.)</summary>
public abstract class SqlitePersistenceModule : PersistenceModule
{
    public static PersistenceModule Create(ApplicationEnvironment environment)
        => throw new ConfigurationException($"Application {environment.ApplicationName}: the sqlite persistence module is not available yet");
}
