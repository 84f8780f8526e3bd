using EventSourcing.Examples.DogSchool;
using EventSourcing.Testing;

namespace EventSourcing.Tests.Runners;

/// <summary>
/// A leader whose database was restored from an older backup, under a follower that had processed more of it: the
/// leader's next events would take ids the follower has tracked, so the follower stops, saying why, instead of
/// skipping them.
/// </summary>
public sealed class LeaderLogSqliteFileTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_leader_restored_from_an_older_backup_stops_the_follower_instead_of_being_skipped()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        await RunAsync(school => school.RegisterDogAsync("Billy", deadline.Token), deadline.Token);
        File.Copy(_directory.File("dogschool.db"), _directory.File("dogschool.backup"));
        await RunAsync(
            async school =>
            {
                await school.AddTrickAsync("Billy", "sit", deadline.Token);
                await school.AddTrickAsync("Billy", "roll over", deadline.Token);
            },
            deadline.Token);
        File.Copy(_directory.File("dogschool.backup"), _directory.File("dogschool.db"), overwrite: true);

        var cause = await Assert.ThrowsAsync<LeaderLogException>(() => RunAsync(school => school.AddTrickAsync("Billy", "beg", deadline.Token), deadline.Token));

        // The leader's log ends at 1, or at 2 once the new command took id 2 again: either way before 3.
        Assert.Matches(@"^DogSchool \(in this process\) ends at notification [12], before 3, which Counters has processed", cause.Message);
        Assert.Contains("restart Counters with --accept-new-leader-log DogSchool", cause.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs the dog school on its files in the test's directory, sends the commands, and waits for Counters. The
    /// applications close their databases when the runner is disposed, so the files can be copied afterwards.
    /// </summary>
    private async Task RunAsync(Func<IDogSchool, Task> commands, CancellationToken cancellationToken)
    {
        var env = new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["DOGSCHOOL_SQLITE_DBNAME"] = _directory.File("dogschool.db"),
            ["COUNTERS_SQLITE_DBNAME"] = _directory.File("counters.db"),
        };
        await using var runner = new MultiThreadedRunner(DogSchoolSystem.System, env);
        await runner.StartAsync(cancellationToken);
        await commands(runner.Get<IDogSchool>());
        await runner.WaitForCatchUpAsync(cancellationToken);
        await runner.StopAsync(cancellationToken);
    }
}
