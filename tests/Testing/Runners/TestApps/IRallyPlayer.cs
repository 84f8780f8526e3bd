namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>The queries of a <see cref="RallyPlayer"/>.</summary>
[Remote]
public interface IRallyPlayer : IApplicationProbe
{
    /// <summary>The numbers of the hits this player made, in order.</summary>
    Task<IReadOnlyList<int>> GetHitsAsync(CancellationToken cancellationToken = default);
}
