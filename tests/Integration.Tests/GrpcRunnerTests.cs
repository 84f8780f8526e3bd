using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using EventSourcing.Integration.Tests.Runners;
using EventSourcing.Testing;
using EventSourcing.Testing.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>The tutorial through a <see cref="GrpcRunner"/>: one es-node process per application, calls over gRPC.</summary>
public sealed class GrpcRunnerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Counters_in_their_own_process_count_the_tricks_added_in_the_school_process()
    {
        await using var runner = CreateRunner(new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();
        var counters = runner.Get<ICounters>();

        Assert.Equal(Dog.CreateId("Billy"), await school.RegisterDogAsync("Billy"));
        await school.RegisterDogAsync("Milly");
        await school.AddTrickAsync("Billy", "roll over");
        await school.AddTrickAsync("Milly", "roll over");
        await school.AddTrickAsync("Billy", "fetch ball");
        await runner.CatchUpAsync();

        Assert.Equal(2, await counters.GetCountAsync("roll over"));
        Assert.Equal(1, await counters.GetCountAsync("fetch ball"));
        Assert.Equal(0, await counters.GetCountAsync("play dead"));
        var billy = await school.GetDogAsync("Billy");
        Assert.Equal("Billy", billy.Name);
        Assert.Equal(["roll over", "fetch ball"], billy.Tricks);
        Assert.All(runner.Nodes, node => Assert.NotEqual(Environment.ProcessId, node.Pid));
        await runner.StopAsync();
    }

    [Fact]
    public async Task A_proxy_raises_the_applications_own_errors()
    {
        await using var runner = CreateRunner(new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();

        var notFound = await Assert.ThrowsAsync<AggregateNotFoundException>(() => school.AddTrickAsync("Nobody", "sit"));
        Assert.Equal(Dog.CreateId("Nobody"), notFound.AggregateId);
        await Assert.ThrowsAsync<ArgumentException>(() => school.RegisterDogAsync(string.Empty));
        await runner.StopAsync();
    }

    [Fact]
    public async Task Stopping_the_runner_ends_every_node_process()
    {
        var runner = CreateRunner(new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
        await runner.StartAsync();
        var processes = runner.Nodes.Select(n => n.Supervisor.Current).ToList();

        await runner.StopAsync();

        Assert.All(processes, p => Assert.True(p.Exited.IsCompleted));
        await runner.DisposeAsync();
    }

    [Fact]
    public async Task A_node_that_dies_is_restarted_and_says_so()
    {
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var runner = new GrpcRunner(
            DogSchoolSystem.System,
            new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" },
            new GrpcRunnerOptions { Say = said.Enqueue, Output = (name, line) => TestLog.Write(output, $"[{name}] {line}") });
        await runner.StartAsync();
        var counters = runner.Node("Counters");
        var first = counters.Pid;

        counters.Supervisor.Current.Kill();

        await Eventually.ReturnsAsync(async () => counters.Pid != first && await counters.Client.IsServingAsync(), ok => ok, "Counters to be restarted");
        Assert.Contains(said, line => line.StartsWith("node Counters exited unexpectedly", StringComparison.Ordinal));
        Assert.Contains(said, line => line.StartsWith($"node Counters restarted: pid {counters.Pid}", StringComparison.Ordinal));
        await runner.Get<IDogSchool>().RegisterDogAsync("Rex");
        await runner.Get<IDogSchool>().AddTrickAsync("Rex", "sit");
        await runner.CatchUpAsync();
        Assert.Equal(1, await runner.Get<ICounters>().GetCountAsync("sit"));
        await runner.StopAsync();
    }

    [Fact]
    public async Task With_pipelined_calls_the_proxies_of_a_node_share_one_stream_of_calls()
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var runner = new GrpcRunner(
            DogSchoolSystem.System,
            new Dictionary<string, string>
            {
                ["PERSISTENCE_MODULE"] = "popo",

                // Each request's start, so that the test sees which calls the nodes served.
                ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            },
            new GrpcRunnerOptions
            {
                PipelineCalls = true,
                Output = (name, line) =>
                {
                    lines.Enqueue($"[{name}] {line}");
                    TestLog.Write(output, $"[{name}] {line}");
                },
            });
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();
        var names = Enumerable.Range(0, 200).Select(i => $"dog {i}").ToList();

        // More at once than a stream carries (64): the rest wait for answers. A proxy of each Get.
        await Task.WhenAll(names.Select(name => school.RegisterDogAsync(name)));
        await Task.WhenAll(names.Select(name => runner.Get<IDogSchool>().AddTrickAsync(name, "sit")));
        var notFound = await Assert.ThrowsAsync<AggregateNotFoundException>(() => school.AddTrickAsync("Nobody", "sit"));
        await runner.CatchUpAsync();

        Assert.Equal(Dog.CreateId("Nobody"), notFound.AggregateId);
        Assert.Equal(200, await runner.Get<ICounters>().GetCountAsync("sit"));
        Assert.Equal(["sit"], (await school.GetDogAsync("dog 199")).Tricks);

        // The node logs the failed call after every request it served before: once that line is in, so are the
        // others. One stream served every call to DogSchool, and no unary call did.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(lines.Any(line => line.StartsWith("[DogSchool]", StringComparison.Ordinal) && line.Contains("-> NotFound", StringComparison.Ordinal))),
            logged => logged,
            "DogSchool to log the failed AddTrick");
        var requests = lines.Where(line => line.StartsWith("[DogSchool]", StringComparison.Ordinal) && line.Contains("Request starting", StringComparison.Ordinal)).ToList();
        Assert.Single(requests, line => line.Contains("/eventsourcing.v1.Application/CallStream", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, line => line.Contains("/eventsourcing.v1.Application/Call ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("/eventsourcing.v1.Application/CallStream AddTrick -> NotFound", StringComparison.Ordinal));

        await runner.StopAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => school.RegisterDogAsync("Late"));
        Assert.Throws<ObjectDisposedException>(() => runner.Get<IDogSchool>());
    }

    private GrpcRunner CreateRunner(IReadOnlyDictionary<string, string> env) => GrpcRunners.Create(DogSchoolSystem.System, env, output);
}
