using EventSourcing.Examples.DogSchool;
using EventSourcing.Testing;

namespace EventSourcing.Tests.Persistence.Sqlite;

/// <summary>
/// A system whose applications were given one SQLite database (<c>SQLITE_DBNAME</c> set once, not per application):
/// the runner stops with an error that says what to change, rather than mixing the logs and waiting for ever.
/// </summary>
public sealed class DatabaseOwnerSqliteFileTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(nameof(SingleThreadedRunner))]
    [InlineData(nameof(MultiThreadedRunner))]
    public async Task Two_applications_given_one_database_fail_with_a_configuration_error_instead_of_hanging(string kind)
    {
        var path = _directory.File("app.db");
        var env = new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_DBNAME"] = path,
            // Empty values count as unset, whatever the test run's own environment holds.
            ["DOGSCHOOL_SQLITE_DBNAME"] = string.Empty,
            ["COUNTERS_SQLITE_DBNAME"] = string.Empty,
        };
        await using IRunner runner = kind == nameof(SingleThreadedRunner)
            ? new SingleThreadedRunner(DogSchoolSystem.System, env)
            : new MultiThreadedRunner(DogSchoolSystem.System, env);
        using var deadline = new CancellationTokenSource(Deadline);

        var error = await Assert.ThrowsAsync<ConfigurationException>(async () =>
        {
            await runner.StartAsync(deadline.Token);
            var school = runner.Get<IDogSchool>();
            await school.RegisterDogAsync("Billy", deadline.Token);
            await school.AddTrickAsync("Billy", "roll over", deadline.Token);
            await runner.WaitForCatchUpAsync(deadline.Token);
        });

        // Whichever application uses the database first owns it; the other one is refused.
        var (refused, owner) = error.Message.StartsWith("Application DogSchool:", StringComparison.Ordinal)
            ? ("DogSchool", "Counters")
            : ("Counters", "DogSchool");
        Assert.Equal(
            $"Application {refused}: the database {path} (SQLITE_DBNAME) belongs to application {owner}: "
                + $"give each application its own, e.g. {refused.ToUpperInvariant()}_SQLITE_DBNAME",
            error.Message);
    }
}
