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

    /// <summary>The first column of the first row of <paramref name="sql"/>, run in a view read.</summary>
    public static Task<object?> ScalarAsync(IProcessRecorder recorder, string sql)
        => recorder.ReadViewAsync(async (transaction, ct) =>
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(ct);
        });
}
