using System.Net;
using EventSourcing.Grpc;
using EventSourcing.Grpc.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// How a container checks a node's health without other tools: <c>es-node health --url URL</c>, and the plaintext
/// health address (<c>--health-listen</c>) that probes which speak neither TLS nor tokens can reach.
/// </summary>
public sealed class NodeHealthCommandTests(ITestOutputHelper output) : NodeTests(output)
{
    private const string Token = "s3cret-token";

    [Fact]
    public async Task Health_exits_0_and_says_SERVING_for_a_node_that_serves()
    {
        var school = await Nodes.StartAsync("DogSchool");

        var health = await DotnetCommand.RunAsync("es-node.dll", "health", "--url", school.Address);

        Assert.Equal(0, health.ExitCode);
        Assert.Equal($"{school.Address}: SERVING", health.Output.Trim());
    }

    [Fact]
    public async Task Health_asks_about_a_pipe_with_service()
    {
        var school = await Nodes.StartAsync("DogSchool");
        var counters = await Nodes.StartAsync("Counters", leaders: [school]);

        var pipe = await DotnetCommand.RunAsync("es-node.dll", "health", "--url", counters.Address, "--service", "pipe/DogSchool");
        var unknown = await DotnetCommand.RunAsync("es-node.dll", "health", "--url", counters.Address, "--service", "pipe/Nobody");

        Assert.Equal(0, pipe.ExitCode);
        Assert.Equal($"{counters.Address} (pipe/DogSchool): SERVING", pipe.Output.Trim());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("NotFound", unknown.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_exits_1_naming_the_address_when_no_node_answers_there()
    {
        var url = $"http://127.0.0.1:{GrpcRunner.FreePort(IPAddress.Loopback)}";

        var health = await DotnetCommand.RunAsync("es-node.dll", "health", "--url", url, "--timeout", "2");

        Assert.Equal(1, health.ExitCode);
        Assert.StartsWith($"es-node health: {url}: Unavailable", health.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5001")]
    [InlineData("ftp://127.0.0.1:5001")]
    public async Task Health_refuses_a_url_that_is_not_one_naming_it(string url)
    {
        var health = await DotnetCommand.RunAsync("es-node.dll", "health", "--url", url);

        Assert.Equal(1, health.ExitCode);
        Assert.Equal($"es-node health: --url '{url}' is not http://HOST:PORT or https://HOST:PORT", health.Errors.Trim());
    }

    [Fact]
    public async Task The_health_address_answers_health_checks_in_plaintext_without_a_token_and_nothing_else()
    {
        await File.WriteAllTextAsync(Data.File("token"), Token);
        var healthUrl = new Uri($"http://127.0.0.1:{GrpcRunner.FreePort(IPAddress.Loopback)}");
        var school = await Nodes.StartAsync("DogSchool", extraArguments: ["--token-file", Data.File("token"), "--health-listen", healthUrl.ToString()]);
        using var health = new NodeClient(healthUrl, Token);

        var command = await DotnetCommand.RunAsync("es-node.dll", "health", "--url", healthUrl.ToString());

        Assert.Equal(0, command.ExitCode);
        Assert.True(await health.IsServingAsync());
        var call = await Assert.ThrowsAsync<RpcException>(
            () => health.Application.CallAsync(TestNode.Request("RegisterDog", "Rex"), health.Headers, DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, call.StatusCode);
        var read = await Assert.ThrowsAsync<RpcException>(
            () => health.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10 }, health.Headers, DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, read.StatusCode);
        using var withToken = new NodeClient(school.Url, Token);
        await withToken.Application.CallAsync(TestNode.Request("RegisterDog", "Rex"), withToken.Headers);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.Health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Theory]
    [InlineData("https://127.0.0.1:5101", "--health-listen 'https://127.0.0.1:5101' is not http://HOST:PORT")]
    [InlineData("http://127.0.0.1", "--health-listen 'http://127.0.0.1' is not http://HOST:PORT with a port of its own")]
    public async Task A_health_address_that_is_not_plaintext_with_a_port_is_refused_naming_it(string url, string expected)
    {
        var node = await DotnetCommand.RunAsync("es-node.dll", "--system", "DogSchool", "--app", "DogSchool", "--health-listen", url);

        Assert.Equal(2, node.ExitCode);
        Assert.StartsWith($"es-node: {expected}", node.Errors, StringComparison.Ordinal);
    }
}
