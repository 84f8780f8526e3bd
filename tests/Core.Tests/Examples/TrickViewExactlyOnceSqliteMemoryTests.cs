namespace EventSourcing.Tests.Examples;

/// <summary>The follower's view in a SQLite <c>:memory:</c> database, which only the recorder's kept connection can reach.</summary>
public sealed class TrickViewExactlyOnceSqliteMemoryTests : TrickViewExactlyOnceTests
{
    protected override IReadOnlyDictionary<string, string> CreateEnv()
        => new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_DBNAME"] = ":memory:",
            ["DOGSCHOOL_PERSISTENCE_MODULE"] = "popo",
        };
}
