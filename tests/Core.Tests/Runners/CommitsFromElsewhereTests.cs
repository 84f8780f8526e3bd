using EventSourcing.Examples.DogSchool;
using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Tests.Runners;

/// <summary>
/// A commit to a leader's database made outside the runner (another instance of the application, as a script or a
/// second replica would make): the multi-threaded runner's followers hear of it without a commit of their runner's.
/// </summary>
public sealed class CommitsFromElsewhereTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_commit_made_outside_the_runner_reaches_its_followers(string store)
    {
        var env = store == "sqlite"
            ? new Dictionary<string, string>
            {
                ["PERSISTENCE_MODULE"] = "sqlite",
                ["DOGSCHOOL_SQLITE_DBNAME"] = _directory.File("dogschool.db"),
                ["COUNTERS_SQLITE_DBNAME"] = _directory.File("counters.db"),
            }
            : PostgresTestServer.Environment(PostgresTestServer.NewSchemaName());
        await using var runner = new MultiThreadedRunner(DogSchoolSystem.System, env);
        await runner.StartAsync();
        await using var outside = new DogSchool(env);

        await outside.RegisterDogAsync("Billy");
        await outside.AddTrickAsync("Billy", "sit");

        var counters = runner.Get<ICounters>();
        await Eventually.ReturnsAsync(() => counters.GetCountAsync("sit"), count => count == 1, "Counters to count the sit made outside", Deadline);
        await runner.StopAsync();
    }
}
