using System.Text;

namespace EventSourcing.Tests.Persistence;

internal static class RecorderTestData
{
    public const string TopicA = "tests:Something.Happened";
    public const string TopicB = "tests:Something.Else";

    public static StoredEvent Event(Guid id, int version, string topic = TopicA, string? state = null)
        => new(id, version, topic, Encoding.UTF8.GetBytes(state ?? $"{{\"n\":{version}}}"));

    public static StoredEvent[] Events(Guid id, int fromVersion, int count, string topic = TopicA)
        => [.. Enumerable.Range(fromVersion, count).Select(v => Event(id, v, topic))];
}
