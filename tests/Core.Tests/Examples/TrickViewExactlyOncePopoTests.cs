namespace EventSourcing.Tests.Examples;

public sealed class TrickViewExactlyOncePopoTests : TrickViewExactlyOnceTests
{
    protected override IReadOnlyDictionary<string, string> CreateEnv()
        => new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" };
}
