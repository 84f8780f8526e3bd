using Microsoft.Data.Sqlite;

namespace EventSourcing.Node.Tests;

/// <summary>Moves an SQLite log's next notification id past what 32 bits hold, as years of events would.</summary>
internal static class LargeIds
{
    /// <summary>Beyond <see cref="uint.MaxValue"/>: the ids of the next events.</summary>
    public const long Next = 4_294_967_296L + 1_000;

    public static async Task SkipAheadAsync(string databaseFile)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE sqlite_sequence SET seq = $seq WHERE name = 'stored_events'";
        command.Parameters.AddWithValue("$seq", Next - 1);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
