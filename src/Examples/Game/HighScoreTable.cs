namespace EventSourcing.Examples.Game;

/// <summary>
/// The best <see cref="Size"/> scores ever achieved, highest first. A player appears at most once, with
/// their best score. Among equal scores, whoever got there first ranks higher: scores are entered in the
/// order of the game's notification log, and a later equal score never displaces an earlier one (nor
/// does a player equalling their own best move them).
/// </summary>
public sealed class HighScoreTable : Aggregate
{
    public const int Size = 3;

    private HighScoreTable()
    {
    }

    /// <summary>Highest first; at most <see cref="Size"/> lines.</summary>
    public List<HighScore> Entries { get; } = [];

    /// <summary>There is one table; its id is fixed.</summary>
    public static Guid CreateId() => Uuid.V5(Uuid.NamespaceUrl, "/hall-of-fame/high-scores");

    public static HighScoreTable Start() => Create<HighScoreTable>(CreateId(), new Started());

    /// <summary>Whether <paramref name="score"/> by <paramref name="player"/> would change the table.</summary>
    public bool Qualifies(string player, int score)
    {
        var own = Entries.Find(e => e.Player == player);
        if (own is not null)
        {
            return score > own.Score;
        }

        return Entries.Count < Size || score > Entries[^1].Score;
    }

    /// <summary>Enters the score when it changes the table. Returns whether it did.</summary>
    public bool Enter(string player, int score)
    {
        ArgumentException.ThrowIfNullOrEmpty(player);
        if (!Qualifies(player, score))
        {
            return false;
        }

        Trigger(new ScoreEntered(player, score));
        return true;
    }

    protected override void Apply(DomainEvent domainEvent)
    {
        if (domainEvent is not ScoreEntered entered)
        {
            return;
        }

        Entries.RemoveAll(e => e.Player == entered.Player);

        // After every equal score: they got there first.
        var index = Entries.FindIndex(e => e.Score < entered.Score);
        Entries.Insert(index < 0 ? Entries.Count : index, new HighScore(entered.Player, entered.Score));
        if (Entries.Count > Size)
        {
            Entries.RemoveRange(Size, Entries.Count - Size);
        }
    }

    [Topic("halloffame:HighScoreTable.Started")]
    public sealed record Started : DomainEvent;

    [Topic("halloffame:HighScoreTable.ScoreEntered")]
    public sealed record ScoreEntered(string Player, int Score) : DomainEvent;
}
