using Grpc.Core;

namespace EventSourcing.Node.Grpc;

/// <summary>Checks of request fields, each failing with INVALID_ARGUMENT and a message naming the field.</summary>
internal static class RequestValidation
{
    public static long Start(long start)
        => start >= 0 ? Math.Max(1, start) : throw Invalid($"start must be 0 or more, got {start}");

    public static int Limit(int limit)
        => limit is > 0 and <= NotificationLog.MaxLimit
            ? limit
            : throw Invalid($"limit must be from 1 to {NotificationLog.MaxLimit}, got {limit}");

    public static long? Stop(bool hasStop, long stop)
        => !hasStop ? null : stop >= 0 ? stop : throw Invalid($"stop must be 0 or more, got {stop}");

    public static IReadOnlyCollection<string>? Topics(IReadOnlyCollection<string> topics)
    {
        if (topics.Count == 0)
        {
            return null;
        }

        if (topics.Any(string.IsNullOrWhiteSpace))
        {
            throw Invalid("topics must not contain an empty topic");
        }

        if (topics.FirstOrDefault(t => !EventSourcing.Topics.TryResolve(t, out _)) is { } unknown)
        {
            throw Invalid($"topic '{unknown}' is not the topic of any event type this node knows");
        }

        return topics;
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
