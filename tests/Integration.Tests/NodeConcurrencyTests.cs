using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EventSourcing.Grpc.V1;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>Many clients at once, and a node that is down: callers get an answer they can act on, and no update is lost.</summary>
public sealed class NodeConcurrencyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly NodeHarness _nodes = new(output);
    private TestNode _school = null!;

    public async Task InitializeAsync() => _school = await _nodes.StartAsync("DogSchool");

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task Concurrent_commands_on_one_aggregate_either_succeed_or_are_aborted_and_none_is_lost()
    {
        await _school.CallAsync("RegisterDog", "Rex");
        const int clients = 8;
        const int tricksPerClient = 20;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var results = new List<(string Trick, StatusCode Status)>();
            for (var i = 0; i < tricksPerClient; i++)
            {
                var trick = $"trick {client}.{i}";
                try
                {
                    await _school.CallAsync("AddTrick", "Rex", trick);
                    results.Add((trick, StatusCode.OK));
                }
                catch (RpcException ex)
                {
                    results.Add((trick, ex.StatusCode));
                }
            }

            return results;
        })));

        var all = outcomes.SelectMany(o => o).ToList();
        Assert.All(all, outcome => Assert.Contains(outcome.Status, new[] { StatusCode.OK, StatusCode.Aborted }));
        var succeeded = all.Where(o => o.Status == StatusCode.OK).Select(o => o.Trick).Order(StringComparer.Ordinal).ToArray();
        var dog = await _school.CallAsync("GetDog", "Rex");
        var stored = dog.StructValue.Fields["tricks"].ListValue.Values.Select(v => v.StringValue).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(succeeded);
        Assert.Equal(succeeded, stored);
        output.WriteLine($"{succeeded.Length} of {all.Count} concurrent commands succeeded; the rest were aborted by version conflicts");
    }

    [Fact]
    public async Task Commands_to_a_node_that_is_down_fail_with_unavailable_rather_than_waiting()
    {
        await NodeHarness.KillAsync(_school);

        // A generous deadline: the call must fail because the node is down, not because time ran out.
        var error = await Assert.ThrowsAsync<RpcException>(() => _school.CallAsync(TimeSpan.FromSeconds(60), "RegisterDog", "Rex"));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
