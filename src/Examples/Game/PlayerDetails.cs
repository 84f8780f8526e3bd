namespace EventSourcing.Examples.Game;

public sealed record PlayerDetails(string Name, int Score, int BestScore, int GamesPlayed);
