namespace EventSourcing.Examples.TrickView;

/// <summary>
/// The view's one table, <c>(dog_id, trick, times)</c>, on whichever backend the application's recorder uses:
/// <c>dog_tricks</c> in the application's SQLite database; <c>{app}_dog_tricks</c> in the configured schema on
/// PostgreSQL (beside <c>{app}_events</c> and <c>{app}_tracking</c>); an immutable map in the in-memory store.
/// SQL tables are created on first use, inside the recording transaction.
/// </summary>
public sealed partial class DogTricksTable
{
    public const string SqliteTable = "dog_tricks";

    public DogTricksTable(string applicationName, ApplicationEnvironment environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(applicationName);
        ArgumentNullException.ThrowIfNull(environment);
        StoreKey = $"{applicationName}.dog_tricks";
        // Named and quoted like the recorder's own tables ("schema"."{name}_events").
        var schema = environment.Get("POSTGRES_SCHEMA");
        var table = Quote($"{applicationName.ToLowerInvariant()}_dog_tricks");
        PostgresTable = schema is null ? table : $"{Quote(schema)}.{table}";
    }

    /// <summary>The key of the view in the in-memory backend's store.</summary>
    public string StoreKey { get; }

    /// <summary>The table's name on PostgreSQL, schema-qualified when a schema is configured.</summary>
    public string PostgresTable { get; }

    public IViewChange Learned(Guid dogId, string trick)
    {
        ArgumentException.ThrowIfNullOrEmpty(trick);
        return new TrickLearned(this, dogId, trick);
    }

    /// <summary>Counts one more time that the dog was taught the trick.</summary>
    public Task IncrementAsync(IRecorderTransaction transaction, Guid dogId, string trick, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Backend == "popo")
        {
            IncrementInStore(transaction.Store, dogId, trick);
            return Task.CompletedTask;
        }

        return IncrementInSqlAsync(transaction, dogId, trick, cancellationToken);
    }

    /// <summary>The rows, of one dog and/or one trick when given, ordered by dog id then trick (ordinal).</summary>
    public async Task<IReadOnlyList<DogTrick>> SelectAsync(IRecorderTransaction transaction, Guid? dogId, string? trick, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var rows = transaction.Backend == "popo"
            ? SelectFromStore(transaction.Store, dogId, trick)
            : await SelectFromSqlAsync(transaction, dogId, trick, cancellationToken);
        return [.. rows.OrderBy(r => r.DogId.ToString(), StringComparer.Ordinal).ThenBy(r => r.Trick, StringComparer.Ordinal)];
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
