using EventSourcing.Examples.Game;

namespace EventSourcing.Tests.Examples;

public class HighScoreTableTests
{
    [Fact]
    public void Keeps_three_lines_highest_first()
    {
        var table = HighScoreTable.Start();
        Assert.True(table.Enter("Alice", 10));
        Assert.True(table.Enter("Bob", 30));
        Assert.True(table.Enter("Carol", 20));
        Assert.True(table.Enter("Dave", 25));
        Assert.Equal([new("Bob", 30), new("Dave", 25), new("Carol", 20)], table.Entries);
    }

    [Fact]
    public void Ignores_a_score_that_changes_nothing()
    {
        var table = HighScoreTable.Start();
        table.Enter("Alice", 10);
        table.Enter("Bob", 30);
        table.Enter("Carol", 20);
        table.CollectEvents();

        Assert.False(table.Enter("Dave", 10));
        Assert.False(table.Enter("Bob", 30));
        Assert.False(table.Enter("Bob", 5));
        Assert.Empty(table.PendingEvents);
    }

    [Fact]
    public void Moves_a_player_who_beats_their_own_best_instead_of_listing_them_twice()
    {
        var table = HighScoreTable.Start();
        table.Enter("Alice", 10);
        table.Enter("Bob", 30);
        table.Enter("Carol", 20);
        Assert.True(table.Enter("Alice", 40));
        Assert.Equal([new("Alice", 40), new("Bob", 30), new("Carol", 20)], table.Entries);
    }
}
