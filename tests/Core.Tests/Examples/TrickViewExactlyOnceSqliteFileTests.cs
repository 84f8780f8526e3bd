using EventSourcing.Testing;

namespace EventSourcing.Tests.Examples;

/// <summary>The follower's view in a SQLite file of its own, read on a reader connection (the dog school stays in memory).</summary>
public sealed class TrickViewExactlyOnceSqliteFileTests : TrickViewExactlyOnceTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override IReadOnlyDictionary<string, string> CreateEnv()
        => new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_DBNAME"] = _directory.File("view.db"),
            ["DOGSCHOOL_PERSISTENCE_MODULE"] = "popo",
        };

    public void Dispose() => _directory.Dispose();
}
