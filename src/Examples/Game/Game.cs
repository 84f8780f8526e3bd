namespace EventSourcing.Examples.Game;

/// <summary>Players and their scores. <see cref="HallOfFame"/> follows it.</summary>
public sealed class Game(IReadOnlyDictionary<string, string>? env = null) : Application(env), IGame
{
    public async Task<Guid> RegisterPlayerAsync(string name, CancellationToken cancellationToken = default)
    {
        var player = Player.Register(name);
        await SaveAsync(player, cancellationToken);
        return player.Id;
    }

    public async Task UpdateScoreAsync(string name, int score, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(score);
        var player = await GetPlayerByNameAsync(name, cancellationToken);
        player.UpdateScore(score);
        await SaveAsync(player, cancellationToken);
    }

    public async Task<PlayerDetails> GetPlayerAsync(string name, CancellationToken cancellationToken = default)
    {
        var player = await GetPlayerByNameAsync(name, cancellationToken);
        return new PlayerDetails(player.Name, player.Score, player.BestScore, player.GamesPlayed);
    }

    private Task<Player> GetPlayerByNameAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Repository.GetAsync<Player>(Player.CreateId(name), cancellationToken);
    }
}
