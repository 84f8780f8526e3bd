using EventSourcing.Grpc.Protocol;

namespace EventSourcing.Node.Grpc;

/// <summary>Checks of request fields, each failing with INVALID_ARGUMENT (reason BAD_REQUEST) naming the field.</summary>
internal static class RequestValidation
{
    public static long Start(long start)
        => start >= 0 ? Math.Max(1, start) : throw ErrorContract.BadRequest("start", $"start must be 0 or more, got {start}");

    public static int Limit(int limit)
        => limit is > 0 and <= NotificationLog.MaxLimit
            ? limit
            : throw ErrorContract.BadRequest("limit", $"limit must be from 1 to {NotificationLog.MaxLimit}, got {limit}");

    public static long? Stop(bool hasStop, long stop)
        => !hasStop ? null : stop >= 0 ? stop : throw ErrorContract.BadRequest("stop", $"stop must be 0 or more, got {stop}");

    /// <summary>The topics asked for, with every alias of their types (events stored under an older name are theirs too).</summary>
    public static IReadOnlyCollection<string>? Topics(IReadOnlyList<string> topics)
    {
        if (topics.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < topics.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(topics[i]))
            {
                throw ErrorContract.BadRequest($"topics[{i}]", "topics must not contain an empty topic");
            }

            if (!EventSourcing.Topics.TryResolve(topics[i], out _))
            {
                throw ErrorContract.BadRequest($"topics[{i}]", $"topic '{topics[i]}' is not the topic of any event type this node knows");
            }
        }

        return EventSourcing.Topics.WithAliases(topics);
    }
}
