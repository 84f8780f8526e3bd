namespace EventSourcing.Tests.Metadata;

public sealed class EventMetadataPopoTests : EventMetadataTests
{
    protected override IReadOnlyDictionary<string, string> StoreSettings { get; } = new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" };
}
