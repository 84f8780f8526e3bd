namespace EventSourcing.Benchmarks;

/// <summary>
/// Where the measured applications store their events. Every measurement opens its own <see cref="BackendScope"/>,
/// so that each starts from empty stores and leaves nothing behind.
/// </summary>
public abstract class Backend
{
    /// <summary>Short name, as <c>--persistence</c> takes it (with the SQLite level for SQLite).</summary>
    public abstract string Name { get; }

    /// <summary>For the line above the backend's table: what the figures were measured on.</summary>
    public abstract string Description { get; }

    /// <summary>Whether events reach a disk: such backends get smaller default sizes.</summary>
    public abstract bool IsDurable { get; }

    public abstract Task<BackendScope> OpenAsync(CancellationToken cancellationToken);
}
