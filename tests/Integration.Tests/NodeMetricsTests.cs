using System.Net;
using EventSourcing.Grpc;
using EventSourcing.Testing;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// <c>es-node --metrics</c>: a node serves its metrics to Prometheus, in plaintext on an address of their own, at
/// <c>/metrics</c> and nothing else there.
/// </summary>
public sealed class NodeMetricsTests(ITestOutputHelper output) : NodeTests(output)
{
    private const string Token = "s3cret-token";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_node_with_metrics_serves_its_commands_and_a_followers_processing_and_lag_to_prometheus()
    {
        var schoolMetrics = MetricsUrl();
        var countersMetrics = MetricsUrl();
        var school = await Nodes.StartAsync("DogSchool", extraArguments: ["--metrics", schoolMetrics.ToString()]);
        await Nodes.StartAsync(
            "Counters",
            env: new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", ["SQLITE_DBNAME"] = Data.File("counters.sqlite") },
            leaders: [school],
            extraArguments: ["--metrics", countersMetrics.ToString()]);

        await school.CallAsync("RegisterDog", "Billy");
        await school.CallAsync("AddTrick", "Billy", "roll over");
        await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => school.CallAsync("AddTrick", "Nobody", "roll over"));

        var schoolText = await ScrapeUntilAsync(schoolMetrics, """eventsourcing_commands_total{""", """eventsourcing_outcome="error""", "eventsourcing_subscribe_frames_total{");
        Assert.Contains("# TYPE eventsourcing_commands_total counter", schoolText, StringComparison.Ordinal);
        Assert.Matches("""eventsourcing_commands_total\{[^}]*eventsourcing_application="DogSchool"[^}]*eventsourcing_method="AddTrick"[^}]*eventsourcing_outcome="ok"[^}]*\} 1""", schoolText);
        Assert.Matches("""eventsourcing_commands_total\{[^}]*error_type="EventSourcing.AggregateNotFoundException"[^}]*eventsourcing_method="AddTrick"[^}]*eventsourcing_outcome="error"[^}]*\} 1""", schoolText);
        Assert.Matches("""eventsourcing_events_recorded_total\{[^}]*eventsourcing_application="DogSchool"[^}]*\} 2""", schoolText);
        Assert.Matches("""eventsourcing_subscribers\{[^}]*eventsourcing_application="DogSchool"[^}]*\} 1\n""", schoolText);
        Assert.Matches("""eventsourcing_subscribe_frames_total\{[^}]*eventsourcing_application="DogSchool"[^}]*\} [1-9]""", schoolText);

        // Counters keeps its events in SQLite: its commits are measured.
        var countersText = await ScrapeUntilAsync(countersMetrics, "eventsourcing_notifications_processed_total{");
        Assert.Matches("""eventsourcing_notifications_processed_total\{[^}]*eventsourcing_application="Counters"[^}]*eventsourcing_leader="DogSchool"[^}]*\} 1""", countersText);
        Assert.Matches("""eventsourcing_pipe_lag\{[^}]*eventsourcing_leader="DogSchool"[^}]*\} 0""", countersText);
        Assert.Matches("""eventsourcing_pipe_state\{[^}]*eventsourcing_leader="DogSchool"[^}]*eventsourcing_state="running"[^}]*\} 1""", countersText);
        Assert.Contains("eventsourcing_commit_duration_seconds_bucket{", countersText, StringComparison.Ordinal);
        Assert.Contains("eventsourcing_commit_writes_bucket{", countersText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_metrics_address_serves_only_metrics_without_a_token_and_the_nodes_address_serves_none()
    {
        await File.WriteAllTextAsync(Data.File("token"), Token);
        var metrics = MetricsUrl();
        var school = await Nodes.StartAsync("DogSchool", extraArguments: ["--token-file", Data.File("token"), "--metrics", metrics.ToString()]);

        using var scrape = await Http.GetAsync(new Uri(metrics, "/metrics"));
        using var other = await Http.GetAsync(new Uri(metrics, "/eventsourcing.v1.Node/Status"));
        using var onTheNode = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(school.Url, "/metrics"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, onTheNode.StatusCode);
    }

    [Theory]
    [InlineData("https://127.0.0.1:5101", "--metrics 'https://127.0.0.1:5101' is not http://HOST:PORT with a port of its own")]
    [InlineData("http://127.0.0.1", "--metrics 'http://127.0.0.1' is not http://HOST:PORT with a port of its own")]
    [InlineData("127.0.0.1:5101", "--metrics '127.0.0.1:5101' is not http://HOST:PORT with a port of its own")]
    public async Task A_metrics_address_that_is_not_plaintext_with_a_port_is_refused_naming_it(string url, string expected)
    {
        var node = await DotnetCommand.RunAsync("es-node.dll", "--system", "DogSchool", "--app", "DogSchool", "--metrics", url);

        Assert.Equal(2, node.ExitCode);
        Assert.StartsWith($"es-node: {expected}", node.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metrics_address_on_the_nodes_own_port_is_refused_naming_it()
    {
        var node = await DotnetCommand.RunAsync(
            "es-node.dll", "--system", "DogSchool", "--app", "DogSchool", "--listen", "http://127.0.0.1:5101", "--metrics", "http://127.0.0.1:5101");

        Assert.Equal(2, node.ExitCode);
        Assert.StartsWith("es-node: --metrics http://127.0.0.1:5101/: give the metrics a port of their own", node.Errors, StringComparison.Ordinal);
    }

    private static Uri MetricsUrl() => new($"http://127.0.0.1:{GrpcRunner.FreePort(IPAddress.Loopback)}");

    /// <summary>Scrapes until the text holds every one of <paramref name="expected"/> (the exporter collects on a scrape, and caches briefly).</summary>
    private static Task<string> ScrapeUntilAsync(Uri metrics, params string[] expected)
        => Eventually.ReturnsAsync(
            () => Http.GetStringAsync(new Uri(metrics, "/metrics")),
            text => expected.All(e => text.Contains(e, StringComparison.Ordinal)),
            $"{metrics}metrics to show {string.Join(", ", expected)}");
}
