namespace EventSourcing.Testing.Persistence.Sqlite;

/// <summary>Settings that put a system on SQLite files.</summary>
public static class SqliteTestSettings
{
    /// <summary><paramref name="env"/> plus the sqlite module, with each application of the system in its own file in <paramref name="directory"/>.</summary>
    public static Dictionary<string, string> FilePerApplication(EventSystem system, string directory, IReadOnlyDictionary<string, string>? env = null)
    {
        var settings = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["PERSISTENCE_MODULE"] = "sqlite" };
        foreach (var name in system.Nodes)
        {
            settings[$"{name.ToUpperInvariant()}_SQLITE_DBNAME"] = Path.Combine(directory, $"{name.ToLowerInvariant()}.db");
        }

        return settings;
    }
}
