using Npgsql;

namespace EventSourcing.Postgres;

/// <summary>
/// A shared, pooled <see cref="NpgsqlDataSource"/>: one per distinct connection string in the process,
/// counted by the modules that use it, and disposed (closing its connections) when the last one lets go.
/// </summary>
internal sealed class PostgresDataSourceLease : IAsyncDisposable
{
    private static readonly Dictionary<string, (NpgsqlDataSource DataSource, int Users)> Shared = new(StringComparer.Ordinal);
    private readonly string _key;
    private int _released;

    private PostgresDataSourceLease(string key, NpgsqlDataSource dataSource)
    {
        _key = key;
        DataSource = dataSource;
    }

    public NpgsqlDataSource DataSource { get; }

    public static PostgresDataSourceLease Acquire(PostgresOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = options.ConnectionString;
        lock (Shared)
        {
            if (!Shared.TryGetValue(key, out var entry))
            {
                entry = (NpgsqlDataSource.Create(key), 0);
            }

            Shared[key] = (entry.DataSource, entry.Users + 1);
            return new PostgresDataSourceLease(key, entry.DataSource);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        NpgsqlDataSource? unused = null;
        lock (Shared)
        {
            var entry = Shared[_key];
            if (entry.Users == 1)
            {
                Shared.Remove(_key);
                unused = entry.DataSource;
            }
            else
            {
                Shared[_key] = (entry.DataSource, entry.Users - 1);
            }
        }

        if (unused is not null)
        {
            await unused.DisposeAsync();
        }
    }
}
