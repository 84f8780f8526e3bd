using EventSourcing.Examples.DogSchool;
using EventSourcing.Testing.Persistence.Postgres;

namespace EventSourcing.Testing.Runners;

/// <summary>
/// A PostgreSQL server that crashes and comes back while commands are being sent and followed: a store fault is
/// not a poison event. The pipes retry until it passes, and every trick the dog school logged is counted once.
/// One subclass per runner; each test has a durable server of its own, which it crashes.
/// </summary>
public abstract class DatabaseRestartPostgresTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>A runner for <paramref name="system"/> with <paramref name="env"/>.</summary>
    protected abstract IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env);

    [Fact]
    public async Task Followers_ride_out_database_restarts_and_count_every_logged_trick_once()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        var env = new Dictionary<string, string>(postgres.Settings) { ["PERSISTENCE_MODULE"] = "postgres", ["POSTGRES_CONNECT_TIMEOUT"] = "2" };
        await using var runner = CreateRunner(DogSchoolSystem.System, env);
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
