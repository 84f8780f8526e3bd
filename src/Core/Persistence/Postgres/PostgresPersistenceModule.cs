namespace EventSourcing.Postgres;

/// <summary>PostgreSQL, all applications in one database. (Implemented with the durable-persistence work.)</summary>
public abstract class PostgresPersistenceModule : PersistenceModule
{
    public static PersistenceModule Create(ApplicationEnvironment environment)
        => throw new ConfigurationException($"Application {environment.ApplicationName}: the postgres persistence module is not available yet");
}
