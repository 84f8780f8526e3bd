using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Tests.Runners;

/// <summary>What the in-process runners say when an application cannot be built.</summary>
public class InProcessRunnerStartTests
{
    [Theory]
    [InlineData(nameof(SingleThreadedRunner))]
    [InlineData(nameof(MultiThreadedRunner))]
    public async Task Start_raises_an_applications_configuration_error_as_it_was_thrown(string kind)
    {
        // Empty values count as unset, whatever the test run's own environment holds.
        var env = new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["SQLITE_DBNAME"] = string.Empty,
            ["DOGSCHOOL_SQLITE_DBNAME"] = string.Empty,
        };
        await using IRunner runner = kind == nameof(SingleThreadedRunner)
            ? new SingleThreadedRunner(DogSchoolSystem.System, env)
            : new MultiThreadedRunner(DogSchoolSystem.System, env);

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => runner.StartAsync());

        Assert.StartsWith("Application DogSchool: SQLITE_DBNAME (or DOGSCHOOL_SQLITE_DBNAME) is required", error.Message, StringComparison.Ordinal);
    }
}
