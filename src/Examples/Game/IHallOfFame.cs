namespace EventSourcing.Examples.Game;

[Remote]
public interface IHallOfFame
{
    /// <summary>The top three scores, highest first (fewer while fewer players have scored).</summary>
    Task<IReadOnlyList<HighScore>> GetHighScoresAsync(CancellationToken cancellationToken = default);
}
