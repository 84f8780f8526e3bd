namespace EventSourcing.Sqlite;

/// <summary>Where an SQLite database lives, from the form of <c>SQLITE_DBNAME</c>.</summary>
public enum SqliteStorage
{
    /// <summary>A file path (or a <c>file:</c> URI without <c>mode=memory</c>): durable, WAL mode.</summary>
    File,

    /// <summary><c>:memory:</c>: private to one connection, which the module keeps and serializes.</summary>
    Memory,

    /// <summary><c>file:NAME?mode=memory&amp;cache=shared</c>: a named in-memory database that lives while the module is open.</summary>
    SharedMemory,
}
