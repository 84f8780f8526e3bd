using Npgsql;

namespace EventSourcing.Postgres;

/// <summary>
/// A shared, pooled <see cref="NpgsqlDataSource"/>: one per distinct connection string in the process,
/// counted by the modules that use it, and disposed (closing its connections) when the last one lets go. Beside it,
/// made on first use, a second one whose pool resets each session as Npgsql does (<see cref="ForViews"/>).
/// </summary>
internal sealed class PostgresDataSourceLease : IAsyncDisposable
{
    private static readonly Dictionary<string, (Sources Sources, int Users)> Shared = new(StringComparer.Ordinal);
    private readonly string _key;
    private readonly Sources _sources;
    private int _released;

    private PostgresDataSourceLease(string key, Sources sources)
    {
        _key = key;
        _sources = sources;
    }

    /// <summary>For the library's own statements: connections go back to the pool as they are (see <see cref="PostgresOptions"/>).</summary>
    public NpgsqlDataSource DataSource => _sources.Own;

    /// <summary>
    /// For code from outside the library given a connection outside a transaction of the library's (a view's read):
    /// whatever it leaves (a transaction open or failed, a reader open, settings) Npgsql undoes before the connection
    /// serves again.
    /// </summary>
    public NpgsqlDataSource ForViews => _sources.ForViews.Value;

    public static PostgresDataSourceLease Acquire(PostgresOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = options.ConnectionString;
        lock (Shared)
        {
            if (!Shared.TryGetValue(key, out var entry))
            {
                entry = (new Sources(key), 0);
            }

            Shared[key] = (entry.Sources, entry.Users + 1);
            return new PostgresDataSourceLease(key, entry.Sources);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        Sources? unused = null;
        lock (Shared)
        {
            var entry = Shared[_key];
            if (entry.Users == 1)
            {
                Shared.Remove(_key);
                unused = entry.Sources;
            }
            else
            {
                Shared[_key] = (entry.Sources, entry.Users - 1);
            }
        }

        if (unused is not null)
        {
            await unused.Own.DisposeAsync();
            if (unused.ForViews.IsValueCreated)
            {
                await unused.ForViews.Value.DisposeAsync();
            }
        }
    }

    private sealed class Sources(string connectionString)
    {
        public NpgsqlDataSource Own { get; } = NpgsqlDataSource.Create(connectionString);

        public Lazy<NpgsqlDataSource> ForViews { get; } = new(
            () => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = false }.ConnectionString));
    }
}
