using System.Text.Json.Serialization;
using EventSourcing.Grpc.Hosting;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Runner.Cli;

/// <summary>A node <c>status</c> asks: its address, and what the state file of a running <c>run</c> says of it, when one does.</summary>
internal sealed record StatusTarget(Uri Url, string? Name = null, int? Pid = null, IReadOnlyList<string>? Leaders = null);

/// <summary>A node's answer to Status, or why there was none (<paramref name="Failure"/>), and when it came.</summary>
internal sealed record NodeSample(StatusTarget Target, Proto.StatusResponse? Status, string? Failure, TimeSpan At);

/// <summary>A node's row: <see cref="State"/> is "running", "failed", "store unavailable" or "unreachable".</summary>
internal sealed record NodeStatus(string? Name, int? Pid, string Url, ulong? MaxNotificationId, string State, string? LastError);

/// <summary>
/// A pipe from a leader to a follower, as the follower tells it: how far the follower has processed the leader's log
/// (<see cref="Position"/>), the leader's greatest notification id, what is left (<see cref="Lag"/>), the pipe's state
/// ("running", "connecting", "retrying", "failed", "stopped", or "unreachable" when the follower did not answer) and
/// notifications per second over the last interval. Unknown values are null.
/// </summary>
internal sealed record EdgeStatus(
    string Leader,
    string Follower,
    ulong? Position,
    ulong? LeaderMaxNotificationId,
    ulong? Lag,
    string State,
    string? LastError,
    double? NotificationsPerSecond);

/// <summary>
/// A path from a first leader (one that follows nobody) to a last follower (one that leads nobody): its lag is the sum of
/// its edges' lags (what is yet to pass some hop of it; null when one is unknown), its state that of the first edge
/// along it that is not running (named by <see cref="At"/>), or "running".
/// </summary>
internal sealed record PathStatus(IReadOnlyList<string> Nodes, ulong? Lag, string State, string? At);

/// <summary>Every node of a system, every edge between them and every path through them, from the nodes' Status answers.</summary>
internal sealed record SystemStatus(
    string? System,
    DateTimeOffset Time,
    double? IntervalSeconds,
    IReadOnlyList<NodeStatus> Nodes,
    IReadOnlyList<EdgeStatus> Edges,
    IReadOnlyList<PathStatus> Paths)
{
    public const string Running = "running";
    public const string Unreachable = "unreachable";

    /// <summary>True when every node answered.</summary>
    [JsonIgnore]
    public bool AllAnswered => Nodes.All(n => n.State != Unreachable);

    /// <summary>
    /// The status from <paramref name="samples"/>; the rates from <paramref name="earlier"/>, the samples of the same
    /// targets taken <paramref name="interval"/> before, when there are any.
    /// </summary>
    public static SystemStatus Compose(
        string? system,
        DateTimeOffset time,
        IReadOnlyList<NodeSample> samples,
        IReadOnlyList<NodeSample>? earlier,
        TimeSpan interval)
    {
        // A node that did not answer may still be named: by the state file, or by a follower that follows it at that address.
        var namesByUrl = samples
            .SelectMany(s => s.Status?.Leaders ?? [])
            .Where(l => Uri.TryCreate(l.Url, UriKind.Absolute, out _))
            .GroupBy(l => NodeCommandLine.Address(new Uri(l.Url)), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.OrdinalIgnoreCase);
        var nodes = samples.Select(s => NodeOf(s, namesByUrl)).ToList();
        var maxima = nodes
            .Where(n => n is { Name: not null, MaxNotificationId: not null })
            .GroupBy(n => n.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(n => n.MaxNotificationId!.Value), StringComparer.Ordinal);

        var edges = new List<EdgeStatus>();
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            if (sample.Status is { } status)
            {
                edges.AddRange(status.Leaders.Select(leader => EdgeOf(status.Name, leader, maxima, Rate(sample, earlier?[i], leader))));
            }
            else if (nodes[i].Name is { } follower)
            {
                edges.AddRange((sample.Target.Leaders ?? []).Select(leader => new EdgeStatus(
                    leader, follower, null, maxima.TryGetValue(leader, out var max) ? max : null, null, Unreachable, null, null)));
            }
        }

        var order = nodes.Select(n => n.Name).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var ordered = edges
            .OrderBy(e => Place(order, e.Leader))
            .ThenBy(e => Place(order, e.Follower))
            .ToList();
        return new SystemStatus(
            system,
            time,
            earlier is null ? null : interval.TotalSeconds,
            nodes,
            ordered,
            PathsOf(ordered));
    }

    /// <summary>An enum value in lower-case words: <c>NodeState.StoreUnavailable</c> is "store unavailable".</summary>
    public static string Word<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static NodeStatus NodeOf(NodeSample sample, Dictionary<string, string> namesByUrl)
    {
        var url = NodeCommandLine.Address(sample.Target.Url);
        if (sample.Status is not { } status)
        {
            var name = sample.Target.Name ?? namesByUrl.GetValueOrDefault(url);
            return new NodeStatus(name, sample.Target.Pid, url, null, Unreachable, sample.Failure);
        }

        var reachable = status.State != Proto.NodeState.StoreUnavailable;
        return new NodeStatus(
            status.Name,
            status.Pid,
            url,
            reachable ? status.MaxNotificationId : null,
            Word(status.State),
            status.LastError.Length > 0 ? status.LastError : null);
    }

    private static EdgeStatus EdgeOf(string follower, Proto.LeaderStatus leader, Dictionary<string, ulong> maxima, double? rate)
    {
        // Both are lower bounds of the leader's greatest id now: what the follower last heard, and what the leader said.
        var leaderMax = Math.Max(leader.LeaderMaxNotificationId, maxima.GetValueOrDefault(leader.Name));
        return new EdgeStatus(
            leader.Name,
            follower,
            leader.Position,
            leaderMax,
            leaderMax > leader.Position ? leaderMax - leader.Position : 0,
            Word(leader.State),
            leader.LastError.Length > 0 ? leader.LastError : null,
            rate);
    }

    /// <summary>Notifications of the leader the follower processed per second between its two samples; null without both.</summary>
    private static double? Rate(NodeSample sample, NodeSample? earlier, Proto.LeaderStatus leader)
    {
        var before = earlier?.Status?.Leaders.FirstOrDefault(l => l.Name == leader.Name);
        var seconds = earlier is null ? 0 : (sample.At - earlier.At).TotalSeconds;
        return before is null || seconds <= 0 || leader.Position < before.Position
            ? null
            : Math.Round((leader.Position - before.Position) / seconds, 1);
    }

    private static int Place(List<string> order, string name) => order.IndexOf(name) is var i and >= 0 ? i : int.MaxValue;

    /// <summary>Every path along the edges from a node that leads and follows nobody to one that follows and leads nobody, each node once.</summary>
    private static List<PathStatus> PathsOf(List<EdgeStatus> edges)
    {
        var leaders = edges.Select(e => e.Leader).ToHashSet(StringComparer.Ordinal);
        var followers = edges.Select(e => e.Follower).ToHashSet(StringComparer.Ordinal);
        var paths = new List<PathStatus>();
        foreach (var first in edges.Select(e => e.Leader).Distinct(StringComparer.Ordinal).Where(l => !followers.Contains(l)))
        {
            Walk([first], []);
        }

        return paths;

        void Walk(List<string> nodes, List<EdgeStatus> along)
        {
            var last = nodes[^1];
            if (along.Count > 0 && !leaders.Contains(last))
            {
                paths.Add(PathOf([.. nodes], along));
                return;
            }

            foreach (var edge in edges.Where(e => e.Leader == last && !nodes.Contains(e.Follower)))
            {
                Walk([.. nodes, edge.Follower], [.. along, edge]);
            }
        }
    }

    private static PathStatus PathOf(IReadOnlyList<string> nodes, List<EdgeStatus> along)
    {
        ulong? lag = along.All(e => e.Lag.HasValue) ? along.Aggregate(0UL, (sum, e) => sum + e.Lag!.Value) : null;
        return along.FirstOrDefault(e => e.State != Running) is { } stalled
            ? new PathStatus(nodes, lag, stalled.State, $"{stalled.Leader} -> {stalled.Follower}")
            : new PathStatus(nodes, lag, Running, null);
    }
}
