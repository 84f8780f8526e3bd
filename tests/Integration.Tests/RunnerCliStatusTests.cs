using System.Text.Json;
using System.Text.RegularExpressions;
using EventSourcing.Grpc;
using EventSourcing.Testing;

namespace EventSourcing.Integration.Tests;

/// <summary>es-runner status on a running system: its nodes, the edges between them and the paths through them.</summary>
public sealed partial class RunnerCliTests
{
    [Fact]
    public async Task Status_of_a_chain_run_as_assembly_and_type_shows_every_edge_caught_up_and_no_lag_along_the_path()
    {
        using var runner = StartRunner("run", "--system", ChainSystem, "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo");
        var nodes = await NodeLinesAsync(runner, 3);
        await AcquireAsync(nodes["Library"].Url, "Dune", "Emma", "Ulysses");
        await AnnouncementsAsync(nodes["Newsletter"].Url, 3);

        var (exitCode, status) = await StatusJsonAsync("status", "--system", ChainSystem, "--data-dir", _data.Path, "--json", "--interval", "0.2");

        Assert.Equal(0, exitCode);
        Assert.Equal("LendingLibraryChain", status.GetProperty("system").GetString());
        var rows = status.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);
        Assert.Equal(["Library", "Catalogue", "Newsletter"], rows.Keys);
        foreach (var (name, (pid, url)) in nodes)
        {
            Assert.Equal((pid, url, "running"), (rows[name].GetProperty("pid").GetInt32(), rows[name].GetProperty("url").GetString(), rows[name].GetProperty("state").GetString()));
        }

        // Three books; the catalogue's count started, then added to three times; the newsletter's the same.
        Assert.Equal([3UL, 4UL, 4UL], rows.Values.Select(n => n.GetProperty("maxNotificationId").GetUInt64()));
        var edges = status.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(["Library -> Catalogue", "Catalogue -> Newsletter"], edges.Select(EdgeName));
        foreach (var edge in edges)
        {
            var leaderMax = rows[edge.GetProperty("leader").GetString()!].GetProperty("maxNotificationId").GetUInt64();
            Assert.Equal(leaderMax, edge.GetProperty("position").GetUInt64());
            Assert.Equal(leaderMax, edge.GetProperty("leaderMaxNotificationId").GetUInt64());
            Assert.Equal(0UL, edge.GetProperty("lag").GetUInt64());
            Assert.Equal("running", edge.GetProperty("state").GetString());
            Assert.Equal(0, edge.GetProperty("notificationsPerSecond").GetDouble());
        }

        var path = Assert.Single(status.GetProperty("paths").EnumerateArray());
        Assert.Equal(["Library", "Catalogue", "Newsletter"], path.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal((0UL, "running"), (path.GetProperty("lag").GetUInt64(), path.GetProperty("state").GetString()));

        var table = await RunToEndAsync("status", "--system", ChainSystem, "--data-dir", _data.Path, "--interval", "0");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains(["Library -> Catalogue", "3", "3", "0", "running", "-"], table.Lines.Select(Cells));
        Assert.Contains(["Catalogue -> Newsletter", "4", "4", "0", "running", "-"], table.Lines.Select(Cells));
        Assert.Contains(["Library -> Catalogue -> Newsletter", "0", "running"], table.Lines.Select(Cells));
    }

    [Fact]
    public async Task Status_shows_a_follower_that_was_killed_as_unreachable_and_the_others_as_they_are()
    {
        using var runner = StartRunner(
            "run", "--system", "LendingLibraryChain", "--assembly", UserSystemAssembly, "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo", "--max-restarts", "0");
        var nodes = await NodeLinesAsync(runner, 3);
        Assert.Equal(0, Kill(nodes["Newsletter"].Pid, 9));
        await LineAsync(runner, "node Newsletter exited unexpectedly");
        await AcquireAsync(nodes["Library"].Url, "Dune");
        using var catalogue = new NodeClient(new Uri(nodes["Catalogue"].Url));
        await Eventually.ReturnsAsync(async () => (await catalogue.StatusAsync()).MaxNotificationId, max => max == 2, "the catalogue to count the book");

        var (exitCode, status) = await StatusJsonAsync(
            "status", "--system", "LendingLibraryChain", "--assembly", UserSystemAssembly, "--data-dir", _data.Path, "--json", "--interval", "0.2");

        Assert.Equal(3, exitCode);
        var rows = status.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);
        Assert.Equal(("running", "running", "unreachable"), (State(rows["Library"]), State(rows["Catalogue"]), State(rows["Newsletter"])));
        Assert.Equal(nodes["Newsletter"].Pid, rows["Newsletter"].GetProperty("pid").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows["Newsletter"].GetProperty("maxNotificationId").ValueKind);
        var edges = status.GetProperty("edges").EnumerateArray().ToDictionary(EdgeName);
        var caughtUp = edges["Library -> Catalogue"];
        Assert.Equal((1UL, 0UL, "running"), (caughtUp.GetProperty("position").GetUInt64(), caughtUp.GetProperty("lag").GetUInt64(), State(caughtUp)));
        var cut = edges["Catalogue -> Newsletter"];
        Assert.Equal("unreachable", State(cut));
        Assert.Equal(JsonValueKind.Null, cut.GetProperty("lag").ValueKind);
        Assert.Equal(2UL, cut.GetProperty("leaderMaxNotificationId").GetUInt64());
        var path = Assert.Single(status.GetProperty("paths").EnumerateArray());
        Assert.Equal(("unreachable", "Catalogue -> Newsletter"), (State(path), path.GetProperty("at").GetString()));

        // Given by address alone, the node that does not answer is still a row, the others are as they are.
        var (byAddressExit, byAddress) = await StatusJsonAsync(
            "status", "--node", nodes["Library"].Url, "--node", nodes["Catalogue"].Url, "--node", nodes["Newsletter"].Url, "--json", "--interval", "0");

        Assert.Equal(3, byAddressExit);
        Assert.Equal(
            [(nodes["Library"].Url, "running"), (nodes["Catalogue"].Url, "running"), (nodes["Newsletter"].Url, "unreachable")],
            byAddress.GetProperty("nodes").EnumerateArray().Select(n => (n.GetProperty("url").GetString(), State(n))));
        Assert.Equal(["Library -> Catalogue"], byAddress.GetProperty("edges").EnumerateArray().Select(EdgeName));
    }

    [Fact]
    public async Task Status_watch_refreshes_until_interrupted_with_a_json_line_or_a_table_each_time()
    {
        using var runner = StartRunner("run", "--system", ChainSystem, "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo");
        var nodes = await NodeLinesAsync(runner, 3);

        using (var watch = StartRunner("status", "--system", ChainSystem, "--data-dir", _data.Path, "--watch", "--json", "--interval", "0.3"))
        {
            using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
            var acquired = false;
            var progressed = false;
            await foreach (var line in watch.LinesAsync(deadline.Token))
            {
                using var refresh = JsonDocument.Parse(line);
                Assert.Equal(3, refresh.RootElement.GetProperty("nodes").GetArrayLength());
                if (!acquired)
                {
                    // After the first refresh, so that a later one measures the catalogue counting them.
                    await AcquireAsync(nodes["Library"].Url, "Dune", "Emma", "Ulysses", "Walden", "Zazie");
                    acquired = true;
                }
                else if (refresh.RootElement.GetProperty("edges")[0].GetProperty("notificationsPerSecond").GetDouble() > 0)
                {
                    progressed = true;
                    break;
                }
            }

            Assert.True(progressed, "a refresh showed the catalogue's progress as a rate");
            await InterruptedAsync(watch);
        }

        using (var watch = StartRunner("status", "--system", ChainSystem, "--data-dir", _data.Path, "--watch", "--interval", "0.2"))
        {
            var headers = new Regex(@"^LendingLibraryChain at \d\d:\d\d:\d\d, every 0\.2s \(Ctrl-C stops\)$");
            var tables = 0;
            var edgeRows = 0;
            using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
            await foreach (var line in watch.LinesAsync(deadline.Token))
            {
                tables += headers.IsMatch(line) ? 1 : 0;
                edgeRows += line.StartsWith("Library -> Catalogue  ", StringComparison.Ordinal) ? 1 : 0;
                if (edgeRows == 2)
                {
                    break;
                }
            }

            Assert.Equal(2, tables);
            await InterruptedAsync(watch);
        }
    }

    [Theory]
    [InlineData("--node not-a-url", "--node 'not-a-url' is not http://HOST:PORT or https://HOST:PORT")]
    [InlineData("--node http://127.0.0.1:5001 --interval=-1", "--interval -1 is not a number of seconds from 0 to 86400")]
    [InlineData("--node http://127.0.0.1:5001 --watch --interval 0", "--watch needs an --interval above 0 seconds")]
    [InlineData("--system /no/such/Systems.dll:Systems.Chain", "System assembly /no/such/Systems.dll does not exist")]
    public async Task Status_names_what_is_wrong_with_its_command_line(string arguments, string message)
    {
        var result = await RunToEndAsync(["status", .. arguments.Split(' ')]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["es-runner: " + message], result.Lines);
    }

    /// <summary>The three-application chain of tests/UserSystem, as path/to/Assembly.dll:Namespace.Type.</summary>
    private static string ChainSystem => $"{UserSystemAssembly}:EventSourcing.UserSystem.LendingLibraryChainSystem";

    private static string EdgeName(JsonElement edge) => $"{edge.GetProperty("leader").GetString()} -> {edge.GetProperty("follower").GetString()}";

    private static string? State(JsonElement row) => row.GetProperty("state").GetString();

    /// <summary>A table line's cells: columns are two or more spaces apart.</summary>
    private static string[] Cells(string line) => Regex.Split(line, "  +");

    private static async Task AcquireAsync(string libraryUrl, params string[] titles)
    {
        using var library = new NodeClient(new Uri(libraryUrl));
        foreach (var title in titles)
        {
            await library.Application.CallAsync(TestNode.Request("Acquire", title));
        }
    }

    private static async Task AnnouncementsAsync(string newsletterUrl, int count)
    {
        using var newsletter = new NodeClient(new Uri(newsletterUrl));
        await Eventually.ReturnsAsync(
            async () => (await newsletter.Application.CallAsync(TestNode.Request("CountAnnouncements"))).Result.NumberValue,
            announced => announced == count,
            $"the newsletter to announce {count} titles");
    }

    /// <summary>Status's output as JSON, and its exit code.</summary>
    private async Task<(int ExitCode, JsonElement Status)> StatusJsonAsync(params string[] args)
    {
        var (exitCode, lines) = await RunToEndAsync(args);
        using var document = JsonDocument.Parse(string.Join('\n', lines));
        return (exitCode, document.RootElement.Clone());
    }

    /// <summary>Ctrl-C: the process stops within the deadline, exiting 0 (every node answered).</summary>
    private static async Task InterruptedAsync(RunnerProcess process)
    {
        Assert.Equal(0, Interrupt(process.Process.Id));
        using var deadline = new CancellationTokenSource(NodeHarness.Deadline);
        await process.Process.WaitForExitAsync(deadline.Token);
        Assert.Equal(0, process.Process.ExitCode);
    }
}
