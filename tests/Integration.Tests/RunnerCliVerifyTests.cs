using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using EventSourcing.Integration.Tests.Runners;
using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Sqlite;
using EventSourcing.Testing.Runners;
using Microsoft.Data.Sqlite;

namespace EventSourcing.Integration.Tests;

/// <summary>es-runner verify: every edge's tracking against the leader's log, and the follower's events against its tracking.</summary>
public sealed partial class RunnerCliTests
{
    [Fact]
    public async Task Verify_of_a_running_system_says_OK_for_its_edge()
    {
        using var runner = StartRunner("run", "--system", "DogSchool", "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo");
        var nodes = await NodeLinesAsync(runner, 2);
        using var schoolClient = new NodeClient(new Uri(nodes["DogSchool"].Url));
        var school = RemoteProxy.Create<IDogSchool>(schoolClient, "DogSchool");
        await school.RegisterDogAsync("Billy");
        await school.AddTrickAsync("Billy", "roll over");
        await school.AddTrickAsync("Billy", "fetch ball");
        using var counters = new NodeClient(new Uri(nodes["Counters"].Url));
        await Eventually.ReturnsAsync(async () => (await counters.StatusAsync()).Leaders[0].Position, position => position == 3, "Counters to process the tricks");

        var (exitCode, lines) = await RunToEndAsync("verify", "--system", "DogSchool", "--data-dir", _data.Path);

        Assert.Equal(0, exitCode);
        Assert.Equal(
            "OK DogSchool -> Counters: all 2 notifications of interest up to 3 tracked once; "
            + "4 events trace to tracked notifications, 0 unverifiable (recorded before metadata, or not decodable here)",
            Assert.Single(lines));
    }

    [Fact]
    public async Task Verify_names_a_tracking_record_deleted_from_a_followers_database_and_fails()
    {
        using var directory = new TempDirectory();
        var settings = SqliteTestSettings.FilePerApplication(DogSchoolSystem.System, directory.Path);
        await using (var first = GrpcRunners.Create(DogSchoolSystem.System, settings, output))
        {
            await first.StartAsync();
            var school = first.Get<IDogSchool>();
            await school.RegisterDogAsync("Billy");
            await school.AddTrickAsync("Billy", "roll over");
            await school.AddTrickAsync("Billy", "fetch ball");
            await school.AddTrickAsync("Billy", "play dead");
            await first.CatchUpAsync();
            await first.StopAsync();
        }

        // The tracking of notification 3 (fetch ball) lost while Counters was stopped: a hole below its position.
        await DeleteTrackingAsync(Path.Combine(directory.Path, "counters.db"), "DogSchool", 3);
        await using var again = GrpcRunners.Create(DogSchoolSystem.System, settings, output);
        await again.StartAsync();
        await again.CatchUpAsync();

        var (exitCode, lines) = await RunToEndAsync(
            "verify", "--node", again.Node("DogSchool").Address, "--node", again.Node("Counters").Address);

        Assert.Equal(VerifyExitCodes.Failed, exitCode);
        var line = Assert.Single(lines);
        Assert.StartsWith("FAIL DogSchool -> Counters: 1 notifications of interest up to 4 not tracked (holes): 3;", line, StringComparison.Ordinal);
        Assert.Contains("events caused by untracked notifications: 3 (caused by DogSchool 3), 4 (caused by DogSchool 3)", line, StringComparison.Ordinal);
        await again.StopAsync();
    }

    private static async Task DeleteTrackingAsync(string database, string leader, long notificationId)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM tracking WHERE application_name = $leader AND notification_id = $id";
        delete.Parameters.AddWithValue("$leader", leader);
        delete.Parameters.AddWithValue("$id", notificationId);
        Assert.Equal(1, await delete.ExecuteNonQueryAsync());
    }

    /// <summary>es-runner verify's exit codes, as its help states them.</summary>
    private static class VerifyExitCodes
    {
        public const int Failed = 2;
    }
}
