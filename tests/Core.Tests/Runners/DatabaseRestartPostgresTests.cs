using EventSourcing.Examples.DogSchool;
using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Tests.Runners;

/// <summary>
/// A PostgreSQL server that crashes and comes back while commands are being sent and followed: a store fault is
/// not a poison event. The pipes retry until it passes, and every trick the dog school logged is counted once.
/// </summary>
public sealed class DatabaseRestartPostgresTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(nameof(SingleThreadedRunner))]
    [InlineData(nameof(MultiThreadedRunner))]
    public async Task Followers_ride_out_database_restarts_and_count_every_logged_trick_once(string kind)
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        var env = new Dictionary<string, string>(postgres.Settings) { ["PERSISTENCE_MODULE"] = "postgres", ["POSTGRES_CONNECT_TIMEOUT"] = "2" };
        await using IRunner runner = kind == nameof(SingleThreadedRunner)
            ? new SingleThreadedRunner(DogSchoolSystem.System, env)
            : new MultiThreadedRunner(DogSchoolSystem.System, env);
        await runner.StartAsync();
        var school = runner.Get<IDogSchool>();
        var counters = runner.Get<ICounters>();
        using var deadline = new CancellationTokenSource(Deadline);
        await UntilItSucceedsAsync(() => school.RegisterDogAsync("Billy", deadline.Token), deadline.Token);

        for (var restart = 0; restart < 3; restart++)
        {
            await TeachAsync(school, restart, deadline.Token);
            await postgres.RestartAsync(TimeSpan.FromSeconds(restart));
        }

        await TeachAsync(school, 3, deadline.Token);
        await runner.WaitForCatchUpAsync(deadline.Token);

        var logged = (await school.GetDogAsync("Billy", deadline.Token)).Tricks;
        Assert.Equal(4 * 10, logged.Count);
        foreach (var trick in logged.Distinct())
        {
            Assert.Equal(logged.Count(t => t == trick), await counters.GetCountAsync(trick, deadline.Token));
        }

        await runner.StopAsync(deadline.Token);
    }

    /// <summary>Ten tricks; a command the outage refused is sent again (a refused command recorded nothing).</summary>
    private static async Task TeachAsync(IDogSchool school, int round, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 10; i++)
        {
            await UntilItSucceedsAsync(() => school.AddTrickAsync("Billy", $"trick {round}.{i % 3}", cancellationToken), cancellationToken);
        }
    }

    private static async Task UntilItSucceedsAsync(Func<Task> command, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1));
        while (true)
        {
            try
            {
                await command();
                return;
            }
            catch (OperationalException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(backoff.Next(), cancellationToken);
            }
        }
    }
}
