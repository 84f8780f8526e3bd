namespace EventSourcing.Examples.Game;

[Remote]
public interface IGame
{
    /// <summary>Registers a player and returns its id. A name can be registered once.</summary>
    Task<Guid> RegisterPlayerAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Records the score of a game the player played (0 or more).</summary>
    Task UpdateScoreAsync(string name, int score, CancellationToken cancellationToken = default);

    Task<PlayerDetails> GetPlayerAsync(string name, CancellationToken cancellationToken = default);
}
