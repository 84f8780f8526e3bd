using System.Text.RegularExpressions;
using EventSourcing.Testing;

namespace EventSourcing.Integration.Tests;

/// <summary><c>es-runner run --metrics</c>: every node serves Prometheus metrics, and the OTEL_* variables reach the nodes.</summary>
public sealed partial class RunnerCliTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Run_with_metrics_says_where_each_node_serves_them_and_passes_the_otel_variables_on()
    {
        using var runner = new RunnerProcess(
            Path.Combine(AppContext.BaseDirectory, "es-runner.dll"),
            _data.Path,
            ["run", "--system", "DogSchool", "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo", "--metrics"],
            line => TestLog.Write(output, line),
            environment: new Dictionary<string, string> { ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment.name=runner-test" });
        await NodeLinesAsync(runner, 2);
        var metrics = new Dictionary<string, string>();
        using (var deadline = new CancellationTokenSource(NodeHarness.Deadline))
        {
            await foreach (var line in runner.LinesAsync(deadline.Token))
            {
                if (MetricsLine().Match(line) is { Success: true } match)
                {
                    metrics[match.Groups[1].Value] = match.Groups[2].Value;
                }

                if (metrics.Count == 2)
                {
                    break;
                }
            }
        }

        Assert.Equal(["Counters", "DogSchool"], metrics.Keys.Order());
        foreach (var (name, url) in metrics)
        {
            var text = await Http.GetStringAsync(new Uri(url));
            var target = Assert.Single(text.Split('\n'), l => l.StartsWith("target_info{", StringComparison.Ordinal));
            Assert.Contains($"service_name=\"{name}\"", target, StringComparison.Ordinal);
            Assert.Contains("deployment_environment_name=\"runner-test\"", target, StringComparison.Ordinal);
        }

        Assert.Equal(0, Interrupt(runner.Process.Id));
        using var exit = new CancellationTokenSource(NodeHarness.Deadline);
        await runner.Process.WaitForExitAsync(exit.Token);
    }

    [Fact]
    public async Task Run_refuses_a_metrics_base_port_that_is_no_port_naming_it()
    {
        var (exitCode, lines) = await RunToEndAsync("run", "--system", "DogSchool", "--data-dir", _data.Path, "--metrics-base-port", "70000");

        Assert.NotEqual(0, exitCode);
        Assert.Contains(lines, l => l.Contains("--metrics-base-port must be a port, 1 to 65535, got 70000", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^node (\S+) metrics on (http://\S+/metrics)$")]
    private static partial Regex MetricsLine();
}
