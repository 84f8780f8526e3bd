namespace EventSourcing.Benchmarks;

/// <summary>
/// SQLite files (WAL mode) in a fresh temporary directory per measurement, one file per application,
/// deleted afterwards.
/// </summary>
public sealed class SqliteBackend(string synchronous) : Backend
{
    // Every application the benchmarks open; each needs its own database (the table names are the same).
    private static readonly string[] Applications = ["DOGSCHOOL", "COUNTERS", "COUNTERSTORE"];

    public override string Name => $"sqlite {synchronous}";

    public override string Description
        => $"sqlite, one file per application in {Path.GetTempPath()} (WAL, SQLITE_SYNCHRONOUS={synchronous})";

    public override bool IsDurable => true;

    public override Task<BackendScope> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("eventsourcing-bench-");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_SYNCHRONOUS"] = synchronous,
        };
        foreach (var application in Applications)
        {
            settings[$"{application}_SQLITE_DBNAME"] = Path.Combine(directory.FullName, $"{application.ToLowerInvariant()}.db");
        }

        return Task.FromResult(new BackendScope(settings, () =>
        {
            directory.Delete(recursive: true);
            return ValueTask.CompletedTask;
        }));
    }
}
