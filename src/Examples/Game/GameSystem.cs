namespace EventSourcing.Examples.Game;

/// <summary>The tutorial's second exercise: a hall of fame following a game.</summary>
[SystemDefinition("Game")]
public static class GameSystem
{
    public static EventSystem System { get; } = new([[typeof(Game), typeof(HallOfFame)]]);
}
