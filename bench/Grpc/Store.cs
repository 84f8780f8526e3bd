using EventSourcing.Benchmarks;

namespace EventSourcing.GrpcBench;

/// <summary>
/// A store the system is measured on: the backend that gives each measurement fresh, empty stores, and the raw
/// single-row commit rate at the same durability (none for the in-memory store).
/// </summary>
internal sealed class Store(string name, Backend backend, RawCommits? rawCommits)
{
    /// <summary>As <c>--persistence</c> takes it and the JSON lines say it.</summary>
    public string Name => name;

    public Backend Backend => backend;

    public RawCommits? RawCommits => rawCommits;

    /// <summary>Whether the store outlives a process, so that a log can be written before the system is launched on it.</summary>
    public bool IsDurable => backend.IsDurable;

    public static async Task<Store> CreateAsync(string name, Func<CancellationToken, Task<PostgresServer>> postgres, CancellationToken cancellationToken)
    {
        switch (name)
        {
            case "popo":
                return new Store(name, new PopoBackend(), null);
            case "sqlite-full":
                return new Store(name, new SqliteBackend("FULL"), new SqliteRawCommits("FULL"));
            case "sqlite-normal":
                return new Store(name, new SqliteBackend("NORMAL"), new SqliteRawCommits("NORMAL"));
            default:
                var server = await postgres(cancellationToken);
                return new Store(name, new PostgresBackend(server), new PostgresRawCommits(server));
        }
    }
}
