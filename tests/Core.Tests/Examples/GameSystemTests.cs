using EventSourcing.Examples.Game;

namespace EventSourcing.Tests.Examples;

/// <summary>The Game system (exercise 2) on each runner: the hall of fame follows the game exactly.</summary>
public abstract class GameSystemTests
{
    protected abstract IRunner CreateRunner(EventSystem system);

    [Fact]
    public async Task Keeps_the_top_three_scores_exactly_after_many_updates()
    {
        await using var runner = CreateRunner(GameSystem.System);
        await runner.StartAsync();
        var game = runner.Get<IGame>();
        var hallOfFame = runner.Get<IHallOfFame>();
        var players = Enumerable.Range(1, 25).Select(i => $"player {i}").ToArray();
        foreach (var player in players)
        {
            await game.RegisterPlayerAsync(player);
        }

        // A small score range, so that the top scores are often tied and the tie-break matters.
        var random = new Random(20240501);
        var best = new Dictionary<string, (int Score, int Order)>();
        for (var order = 0; order < 3000; order++)
        {
            var player = players[random.Next(players.Length)];
            var score = random.Next(0, 400);
            await game.UpdateScoreAsync(player, score);
            if (!best.TryGetValue(player, out var known) || score > known.Score)
            {
                best[player] = (score, order);
            }
        }

        await runner.WaitForCatchUpAsync();
        HighScore[] expected = [.. best
            .OrderByDescending(b => b.Value.Score)
            .ThenBy(b => b.Value.Order)
            .Take(3)
            .Select(b => new HighScore(b.Key, b.Value.Score))];
        Assert.Equal(expected, await hallOfFame.GetHighScoresAsync());
        await runner.StopAsync();
    }

    [Fact]
    public async Task Ranks_equal_scores_by_who_got_there_first_and_lists_each_player_once()
    {
        await using var runner = CreateRunner(GameSystem.System);
        await runner.StartAsync();
        var game = runner.Get<IGame>();
        var hallOfFame = runner.Get<IHallOfFame>();
        foreach (var player in new[] { "Alice", "Bob", "Carol", "Dave" })
        {
            await game.RegisterPlayerAsync(player);
        }

        await runner.WaitForCatchUpAsync();
        Assert.Empty(await hallOfFame.GetHighScoresAsync());

        await game.UpdateScoreAsync("Alice", 100);
        await game.UpdateScoreAsync("Bob", 100);
        await game.UpdateScoreAsync("Carol", 100);
        await game.UpdateScoreAsync("Dave", 100);
        await runner.WaitForCatchUpAsync();
        Assert.Equal([new("Alice", 100), new("Bob", 100), new("Carol", 100)], await hallOfFame.GetHighScoresAsync());

        await game.UpdateScoreAsync("Dave", 101);
        await game.UpdateScoreAsync("Alice", 100);
        await game.UpdateScoreAsync("Bob", 50);
        await runner.WaitForCatchUpAsync();
        Assert.Equal([new("Dave", 101), new("Alice", 100), new("Bob", 100)], await hallOfFame.GetHighScoresAsync());

        await game.UpdateScoreAsync("Bob", 150);
        await game.UpdateScoreAsync("Bob", 120);
        await runner.WaitForCatchUpAsync();
        Assert.Equal([new("Bob", 150), new("Dave", 101), new("Alice", 100)], await hallOfFame.GetHighScoresAsync());
        Assert.Equal(new PlayerDetails("Bob", 120, 150, 4), await game.GetPlayerAsync("Bob"));
        await runner.StopAsync();
    }
}
