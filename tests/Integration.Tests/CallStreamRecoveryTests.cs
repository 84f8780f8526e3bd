using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using EventSourcing.Testing;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>Pipelined calls (<see cref="RemoteCallStream"/>) to an es-node process that is killed and started again.</summary>
public sealed class CallStreamRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly NodeHarness _nodes = new(output);
    private readonly TempDirectory _data = new();
    private TestNode _school = null!;

    public async Task InitializeAsync()
        => _school = await _nodes.StartAsync("DogSchool", new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_DBNAME"] = _data.File("dogschool.db"),
        });

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Calls_in_flight_when_the_node_is_killed_fail_as_unavailable_and_the_next_call_goes_on_a_new_stream()
    {
        await using var calls = new RemoteCallStream(_school.Client, "DogSchool");
        var school = RemoteProxy.Create<IDogSchool>(calls);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => school.RegisterDogAsync($"before {i}")));

        // Calls sent without waiting, then SIGKILL: each either answered before the kill or fails, none hangs.
        var inFlight = Enumerable.Range(0, 500).Select(i => school.RegisterDogAsync($"during {i}")).ToArray();
        await NodeHarness.KillAsync(_school);
        var outcomes = await Task.WhenAll(inFlight.Select(Outcome)).WaitAsync(Eventually.Deadline);
        var failed = outcomes.Where(o => o is not null).ToList();
        Assert.All(failed, error => Assert.True(error is OperationalException { IsTransient: true }, $"{error!.GetType().Name}: {error.Message}"));
        Assert.NotEmpty(failed);

        var whileDown = await Assert.ThrowsAsync<OperationalException>(() => school.RegisterDogAsync("while down"));
        Assert.True(whileDown.IsTransient);

        await _nodes.RestartAsync(_school);
        await school.RegisterDogAsync("after");
        var answered = Enumerable.Range(0, 500).Where(i => outcomes[i] is null).Select(i => $"during {i}").ToList();
        var dogs = await Task.WhenAll(answered.Append("before 0").Append("after").Select(name => school.GetDogAsync(name)));
        Assert.Equal(answered.Count + 2, dogs.Length);
        output.WriteLine($"{answered.Count} of 500 calls in flight were answered before the kill; {failed.Count} failed as unavailable");
    }

    private static async Task<Exception?> Outcome(Task call)
    {
        try
        {
            await call;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
