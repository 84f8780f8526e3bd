using EventSourcing.Runner.Cli;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Integration.Tests;

/// <summary>How es-runner status composes nodes' Status answers into edges and paths, without processes.</summary>
public sealed class SystemStatusTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Edges_take_the_leaders_own_max_and_paths_add_up_the_lags_of_their_edges()
    {
        var samples = new[]
        {
            Answer("A", 1, 10),
            Answer("B", 2, 7, Leader("A", 1, position: 8, heardMax: 9)),
            Answer("C", 3, 0, Leader("B", 2, position: 4, heardMax: 7)),
        };

        var status = SystemStatus.Compose("Chain", Now, samples, earlier: null, TimeSpan.FromSeconds(1));

        Assert.Equal(["A", "B", "C"], status.Nodes.Select(n => n.Name));
        var ab = Assert.Single(status.Edges, e => e.Leader == "A" && e.Follower == "B");
        Assert.Equal((8UL, 10UL, 2UL), (ab.Position!.Value, ab.LeaderMaxNotificationId!.Value, ab.Lag!.Value));
        var bc = Assert.Single(status.Edges, e => e.Leader == "B" && e.Follower == "C");
        Assert.Equal((4UL, 7UL, 3UL), (bc.Position!.Value, bc.LeaderMaxNotificationId!.Value, bc.Lag!.Value));
        Assert.Null(ab.NotificationsPerSecond);
        var path = Assert.Single(status.Paths);
        Assert.Equal(["A", "B", "C"], path.Nodes);
        Assert.Equal(5UL, path.Lag);
        Assert.Equal((SystemStatus.Running, null), (path.State, path.At));
        Assert.True(status.AllAnswered);
        Assert.Null(status.IntervalSeconds);
    }

    [Fact]
    public void The_rate_of_an_edge_is_its_followers_progress_between_two_samples()
    {
        var earlier = new[] { Answer("A", 1, 10), Answer("B", 2, 0, Leader("A", 1, position: 4, heardMax: 10)) };
        var later = new[]
        {
            Answer("A", 1, 30, at: TimeSpan.FromSeconds(2)),
            Answer("B", 2, 0, at: TimeSpan.FromSeconds(2.5), Leader("A", 1, position: 24, heardMax: 30)),
        };

        var status = SystemStatus.Compose("Pair", Now, later, earlier, TimeSpan.FromSeconds(2));

        Assert.Equal(8.0, Assert.Single(status.Edges).NotificationsPerSecond);
        Assert.Equal(2.0, status.IntervalSeconds);
    }

    [Fact]
    public void A_follower_that_does_not_answer_leaves_its_edges_unknown_and_its_paths_unreachable()
    {
        var status = SystemStatus.Compose("Chain", Now, ChainWithoutItsLast(), earlier: null, TimeSpan.FromSeconds(1));

        var c = status.Nodes[2];
        Assert.Equal(("C", 4242, SystemStatus.Unreachable), (c.Name, c.Pid, c.State));
        Assert.Null(c.MaxNotificationId);
        Assert.False(status.AllAnswered);
        var bc = Assert.Single(status.Edges, e => e.Follower == "C");
        Assert.Equal(SystemStatus.Unreachable, bc.State);
        Assert.Null(bc.Lag);
        Assert.Equal(6UL, bc.LeaderMaxNotificationId);
        var path = Assert.Single(status.Paths);
        Assert.Null(path.Lag);
        Assert.Equal((SystemStatus.Unreachable, "B -> C"), (path.State, path.At));
    }

    [Fact]
    public void A_leader_that_does_not_answer_is_named_by_its_followers_and_its_edges_keep_what_the_follower_last_heard()
    {
        var samples = new[] { NoAnswer(1, new StatusTarget(Url(1))), Answer("B", 2, 0, Leader("A", 1, position: 3, heardMax: 5, Proto.PipeState.Retrying)) };

        var status = SystemStatus.Compose(null, Now, samples, earlier: null, TimeSpan.FromSeconds(1));

        Assert.Equal("A", status.Nodes[0].Name);
        var edge = Assert.Single(status.Edges);
        Assert.Equal((5UL, 2UL, "retrying"), (edge.LeaderMaxNotificationId!.Value, edge.Lag!.Value, edge.State));
        Assert.Equal(("retrying", "A -> B"), (Assert.Single(status.Paths).State, Assert.Single(status.Paths).At));
    }

    [Fact]
    public void Paths_run_from_each_first_leader_to_each_last_follower_through_branches_and_past_cycles()
    {
        // A -> B -> D, A -> C -> D, and C <-> E, a cycle off the way.
        var samples = new[]
        {
            Answer("A", 1, 1),
            Answer("B", 2, 1, Leader("A", 1, 1, 1)),
            Answer("C", 3, 1, Leader("A", 1, 1, 1), Leader("E", 5, 1, 1)),
            Answer("D", 4, 1, Leader("B", 2, 1, 1), Leader("C", 3, 1, 1)),
            Answer("E", 5, 1, Leader("C", 3, 1, 1)),
        };

        var status = SystemStatus.Compose(null, Now, samples, earlier: null, TimeSpan.FromSeconds(1));

        Assert.Equal(
            ["A B D", "A C D"],
            status.Paths.Select(p => string.Join(' ', p.Nodes)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_system_that_is_one_cycle_has_no_paths()
    {
        var samples = new[] { Answer("Ping", 1, 1, Leader("Pong", 2, 1, 1)), Answer("Pong", 2, 1, Leader("Ping", 1, 1, 1)) };

        var status = SystemStatus.Compose(null, Now, samples, earlier: null, TimeSpan.FromSeconds(1));

        Assert.Equal(2, status.Edges.Count);
        Assert.Empty(status.Paths);
    }

    [Fact]
    public void The_table_has_a_row_per_node_per_edge_and_per_path_of_more_than_one_hop()
    {
        var lines = StatusReport.Table(SystemStatus.Compose(null, Now, ChainWithoutItsLast(), earlier: null, TimeSpan.FromSeconds(1)));

        Assert.Equal(
            [
                ["NODE", "PID", "URL", "MAX_ID", "STATE"],
                ["A", "101", "http://127.0.0.1:5001", "10", "running"],
                ["B", "102", "http://127.0.0.1:5002", "6", "running"],
                ["C", "4242", "http://127.0.0.1:5003", "-", "unreachable: Unavailable: down"],
                [],
                ["EDGE", "POSITION", "LEADER_MAX", "LAG", "STATE", "NOTIFICATIONS/S"],
                ["A -> B", "8", "10", "2", "running", "-"],
                ["B -> C", "-", "6", "-", "unreachable", "-"],
                [],
                ["PATH", "LAG", "STATE"],
                ["A -> B -> C", "-", "unreachable at B -> C"],
            ],
            lines.Select(Cells));
    }

    /// <summary>A table line's cells: columns are two or more spaces apart.</summary>
    private static string[] Cells(string line)
        => line.Length == 0 ? [] : System.Text.RegularExpressions.Regex.Split(line, "  +");

    /// <summary>A -> B -> C, where C, known from the state file, does not answer.</summary>
    private static NodeSample[] ChainWithoutItsLast() =>
    [
        Answer("A", 1, 10),
        Answer("B", 2, 6, Leader("A", 1, position: 8, heardMax: 10)),
        NoAnswer(3, new StatusTarget(Url(3), "C", 4242, ["B"])),
    ];

    private static Uri Url(int port) => new($"http://127.0.0.1:{5000 + port}");

    private static NodeSample Answer(string name, int port, ulong max, params Proto.LeaderStatus[] leaders)
        => Answer(name, port, max, TimeSpan.Zero, leaders);

    private static NodeSample Answer(string name, int port, ulong max, TimeSpan at, params Proto.LeaderStatus[] leaders)
    {
        var status = new Proto.StatusResponse { Name = name, Pid = 100 + port, MaxNotificationId = max, State = Proto.NodeState.Running, Url = Url(port).ToString() };
        status.Leaders.AddRange(leaders);
        return new NodeSample(new StatusTarget(Url(port)), status, null, at);
    }

    private static NodeSample NoAnswer(int port, StatusTarget target) => new(target with { Url = Url(port) }, null, "Unavailable: down", TimeSpan.Zero);

    private static Proto.LeaderStatus Leader(string name, int port, ulong position, ulong heardMax, Proto.PipeState state = Proto.PipeState.Running)
        => new()
        {
            Name = name,
            Url = Url(port).ToString(),
            Position = position,
            LeaderMaxNotificationId = heardMax,
            Lag = heardMax > position ? heardMax - position : 0,
            State = state,
        };
}
