namespace EventSourcing.Examples.Game;

/// <summary>One line of the <see cref="HighScoreTable"/>.</summary>
public sealed record HighScore(string Player, int Score);
