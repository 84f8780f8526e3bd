namespace EventSourcing.Examples.Game;

/// <summary>Follows <see cref="Game"/> and keeps the event-sourced <see cref="HighScoreTable"/>.</summary>
public sealed class HallOfFame : ProcessApplication, IHallOfFame
{
    public HallOfFame(IReadOnlyDictionary<string, string>? env = null)
        : base(env)
    {
        On<Player.ScoreUpdated>(async (updated, processingEvent, cancellationToken) =>
        {
            var table = await FindTableAsync(cancellationToken) ?? HighScoreTable.Start();
            table.Enter(updated.Name, updated.Score);

            // Most scores change nothing: then there is nothing to record but the tracking row.
            if (table.PendingEvents.Count > 0)
            {
                processingEvent.CollectEvents(table);
            }
        });
    }

    public async Task<IReadOnlyList<HighScore>> GetHighScoresAsync(CancellationToken cancellationToken = default)
        => (await FindTableAsync(cancellationToken))?.Entries ?? [];

    private Task<HighScoreTable?> FindTableAsync(CancellationToken cancellationToken)
        => Repository.FindAsync<HighScoreTable>(HighScoreTable.CreateId(), cancellationToken);
}
