namespace EventSourcing.Examples.Game;

/// <summary>A player of the game: registered once, then the score of each game played is recorded.</summary>
public sealed class Player : Aggregate
{
    private Player()
    {
    }

    public string Name { get; private set; } = string.Empty;

    /// <summary>The score of the latest game; 0 before the first.</summary>
    public int Score { get; private set; }

    public int BestScore { get; private set; }

    public int GamesPlayed { get; private set; }

    public static Guid CreateId(string name) => Uuid.V5(Uuid.NamespaceUrl, $"/players/{name}");

    public static Player Register(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Create<Player>(CreateId(name), new Registered(name));
    }

    public void UpdateScore(int score)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(score);
        Trigger(new ScoreUpdated(Name, score));
    }

    protected override void Apply(DomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case Registered registered:
                Name = registered.Name;
                break;
            case ScoreUpdated updated:
                Score = updated.Score;
                BestScore = Math.Max(BestScore, updated.Score);
                GamesPlayed++;
                break;
        }
    }

    [Topic("game:Player.Registered")]
    public sealed record Registered(string Name) : DomainEvent;

    /// <summary>Carries the player's name so that followers need not look the player up.</summary>
    [Topic("game:Player.ScoreUpdated")]
    public sealed record ScoreUpdated(string Name, int Score) : DomainEvent;
}
