using System.Text.Json;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Protocol;
using Grpc.Core;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Runner.Cli;

/// <summary>
/// Checks one edge against the stores: the follower's tracking records of the leader (its <c>Node.Tracking</c>), the
/// leader's notifications of the follower's topics up to the follower's position (<c>Read</c>), and the causation in
/// the metadata of the follower's own events (<c>Read</c> with decode). Reads in that order, each after the Status it
/// is given, so that what was committed before Status is complete in what it reads.
/// </summary>
internal static class EdgeAudit
{
    private const int Page = 10_000;

    /// <param name="follower">The follower's Status; <paramref name="leader"/> one of its leaders.</param>
    public static async Task<EdgeVerdict> CheckAsync(
        NodeClient followerClient,
        Proto.StatusResponse follower,
        Proto.LeaderStatus leader,
        NodeClient leaderClient,
        CancellationToken cancellationToken)
    {
        var upTo = NotificationMapping.FromWire(leader.Position);
        var (tracked, topics) = await ReadTrackingAsync(followerClient, leader.Name, cancellationToken);
        var expected = await ReadIdsAsync(leaderClient, upTo, topics, cancellationToken);
        var counts = tracked.GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var missing = expected.Where(id => !counts.ContainsKey(id)).ToList();
        var duplicated = counts.Where(c => c.Value > 1).Select(c => c.Key).Order().ToList();
        var (traced, unverifiable, untraced) = await TraceEventsAsync(followerClient, follower, leader.Name, counts, cancellationToken);
        return new EdgeVerdict(leader.Name, follower.Name, upTo, expected.Count, missing, duplicated, untraced, traced, unverifiable);
    }

    /// <summary>Every tracked id of the leader, as the follower lists them (duplicates kept), and the topics it follows (null: all).</summary>
    private static async Task<(List<long> Ids, IReadOnlyList<string>? Topics)> ReadTrackingAsync(NodeClient client, string leader, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        IReadOnlyList<string>? topics = null;
        long start = 1;
        while (true)
        {
            var page = await client.Node.TrackingAsync(
                new Proto.TrackingRequest { Leader = leader, Start = start, Limit = Page }, client.Headers, cancellationToken: cancellationToken);
            topics = page.AllTopics ? null : [.. page.Topics];
            ids.AddRange(page.NotificationIds.Select(NotificationMapping.FromWire));
            if (page.NotificationIds.Count < Page)
            {
                return (ids, topics);
            }

            start = ids[^1] + 1;
        }
    }

    /// <summary>The ids of the leader's notifications of <paramref name="topics"/> (all when null) up to <paramref name="upTo"/>.</summary>
    private static async Task<List<long>> ReadIdsAsync(NodeClient client, long upTo, IReadOnlyList<string>? topics, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        await foreach (var notification in ReadAsync(client, upTo, topics, decode: false, cancellationToken))
        {
            ids.Add(NotificationMapping.FromWire(notification.Id));
        }

        return ids;
    }

    /// <summary>
    /// How many of the follower's events (up to its max notification id in <paramref name="follower"/>) name as
    /// causation a tracked notification of <paramref name="leader"/>, how many have no metadata to check, and those
    /// that name a notification it has not tracked. Events caused by other leaders, or by commands, are not this edge's.
    /// </summary>
    private static async Task<(long Traced, long Unverifiable, List<(long, long)> Untraced)> TraceEventsAsync(
        NodeClient client,
        Proto.StatusResponse follower,
        string leader,
        Dictionary<long, int> tracked,
        CancellationToken cancellationToken)
    {
        long traced = 0, unverifiable = 0;
        var untraced = new List<(long, long)>();
        var upTo = NotificationMapping.FromWire(follower.MaxNotificationId);
        try
        {
            await foreach (var notification in ReadAsync(client, upTo, null, decode: true, cancellationToken))
            {
                if (!notification.HasDecodedMetadata)
                {
                    unverifiable++;
                    continue;
                }

                if (CauseOf(notification.DecodedMetadata) is not { } cause || cause.ApplicationName != leader)
                {
                    continue;
                }

                if (tracked.ContainsKey(cause.NotificationId))
                {
                    traced++;
                }
                else
                {
                    untraced.Add((NotificationMapping.FromWire(notification.Id), cause.NotificationId));
                }
            }
        }
        catch (RpcException ex) when (ErrorContract.ReasonOf(ex) == ErrorReasons.DecodeNotPermitted)
        {
            // The node decodes for no unauthenticated caller beyond loopback: its events cannot be traced from here.
            unverifiable = upTo;
        }

        return (traced, unverifiable, untraced);
    }

    private static Causation? CauseOf(string metadataJson)
    {
        try
        {
            return JsonSerializer.Deserialize<EventMetadata>(metadataJson)?.Causation;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async IAsyncEnumerable<Proto.Notification> ReadAsync(
        NodeClient client,
        long upTo,
        IReadOnlyList<string>? topics,
        bool decode,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long start = 1;
        while (start <= upTo)
        {
            var request = new Proto.ReadRequest { Start = start, Limit = Page, Stop = upTo, Decode = decode };
            request.Topics.AddRange(topics ?? []);
            var page = await client.Log.ReadAsync(request, client.Headers, cancellationToken: cancellationToken);
            foreach (var notification in page.Notifications)
            {
                yield return notification;
            }

            if (page.Notifications.Count == 0)
            {
                yield break;
            }

            start = NotificationMapping.FromWire(page.Notifications[^1].Id) + 1;
        }
    }
}
