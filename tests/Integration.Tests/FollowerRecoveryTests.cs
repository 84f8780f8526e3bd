using EventSourcing.Grpc.V1;
using EventSourcing.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>Nodes killed with SIGKILL and restarted: nothing lost, nothing applied twice, followers resume by themselves.</summary>
public sealed class FollowerRecoveryTests(ITestOutputHelper output) : NodeTests(output)
{
    private const int Dogs = 40;
    private const int TricksPerDog = 5;

    [Fact]
    public async Task A_follower_killed_mid_stream_and_restarted_ends_with_exact_counts()
    {
        var school = await Nodes.StartAsync("DogSchool", Persistence("DogSchool"));
        await AddTricksAsync(school);
        var counters = await Nodes.StartAsync("Counters", Persistence("Counters"), leaders: [school]);

        // Kill it while it is still working through the leader's log.
        await Eventually.ReturnsAsync(() => PositionAsync(counters), p => p > 0, "Counters to start processing");
        await NodeHarness.KillAsync(counters);
        await Nodes.RestartAsync(counters);

        await AssertCountsAsync(school, counters);
    }

    [Fact]
    public async Task A_follower_resumes_by_itself_when_its_leader_is_killed_and_restarted()
    {
        var school = await Nodes.StartAsync("DogSchool", Persistence("DogSchool"));
        var counters = await Nodes.StartAsync("Counters", Persistence("Counters"), leaders: [school]);
        await school.CallAsync("RegisterDog", "Rex");
        await school.CallAsync("AddTrick", "Rex", "sit");
        await Eventually.ReturnsAsync(() => PositionAsync(counters), p => p >= 2, "Counters to follow");

        await NodeHarness.KillAsync(school);
        await Nodes.RestartAsync(school);
        await AddTricksAsync(school);

        await AssertCountsAsync(school, counters, extraSits: 1);
    }

    /// <summary>Each node its own SQLite file, so that what it recorded outlives a SIGKILL.</summary>
    private IReadOnlyDictionary<string, string> Persistence(string application)
        => new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", [$"{application.ToUpperInvariant()}_SQLITE_DBNAME"] = Data.File($"{application}.sqlite") };

    private static async Task AddTricksAsync(TestNode school)
    {
        for (var d = 0; d < Dogs; d++)
        {
            await school.CallAsync("RegisterDog", $"dog {d}");
            for (var t = 0; t < TricksPerDog; t++)
            {
                await school.CallAsync("AddTrick", $"dog {d}", $"trick {t}");
            }
        }
    }

    private static async Task AssertCountsAsync(TestNode school, TestNode counters, int extraSits = 0)
    {
        var leaderMax = (long)(await school.Client.StatusAsync()).MaxNotificationId;
        await Eventually.ReturnsAsync(() => PositionAsync(counters), p => p >= leaderMax, $"Counters to reach notification {leaderMax}");
        for (var t = 0; t < TricksPerDog; t++)
        {
            Assert.Equal(Dogs, await CountAsync(counters, $"trick {t}"));
        }

        Assert.Equal(extraSits, await CountAsync(counters, "sit"));
    }

    private static async Task<long> PositionAsync(TestNode counters)
    {
        try
        {
            var status = await counters.Client.StatusAsync();
            return (long)status.Leaders.Single().Position;
        }
        catch (RpcException)
        {
            return -1;
        }
    }

    private static async Task<int> CountAsync(TestNode counters, string trick)
        => (int)(await counters.CallAsync("GetCount", trick)).NumberValue;
}
