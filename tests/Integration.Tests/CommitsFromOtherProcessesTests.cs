using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Postgres;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// Two nodes of one application on one database (as a second replica, or a script, would write): what is committed
/// through one reaches the other's subscribers, and so its followers, without a commit of its own to wake them.
/// </summary>
public sealed class CommitsFromOtherProcessesTests(ITestOutputHelper output) : NodeTests(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_commit_through_another_node_of_the_application_reaches_the_followers_of_this_one(string store)
    {
        var env = store == "sqlite"
            ? new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", ["SQLITE_DBNAME"] = Data.File("dogschool.db") }
            : PostgresTestServer.Environment(PostgresTestServer.NewSchemaName());
        var followed = await Nodes.StartAsync("DogSchool", env);
        var other = await Nodes.StartAsync("DogSchool", env);
        var counters = await Nodes.StartAsync("Counters", new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" }, leaders: [followed]);

        await other.CallAsync("RegisterDog", "Billy");
        await other.CallAsync("AddTrick", "Billy", "sit");

        await Eventually.ReturnsAsync(async () => (await counters.CallAsync("GetCount", "sit")).NumberValue, count => count == 1, "Counters to count the sit", Deadline);
        // The count is committed with the tracking of notification 2; the pipe's position in Status follows just after.
        await Eventually.ReturnsAsync(async () => (await counters.Client.StatusAsync()).Leaders[0].Position, position => position == 2UL, "Counters' position to reach 2", Deadline);
    }
}
