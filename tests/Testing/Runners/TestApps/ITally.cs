namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>The queries of a <see cref="TallyApplication"/>.</summary>
[Remote]
public interface ITally : IApplicationProbe
{
    /// <summary>The texts written to any notebook of the leaders, in the order they were processed.</summary>
    Task<IReadOnlyList<string>> GetEntriesAsync(CancellationToken cancellationToken = default);

    /// <summary>The topics the application asks its leaders for; null for every topic.</summary>
    Task<IReadOnlyList<string>?> GetFollowTopicsAsync(CancellationToken cancellationToken = default);
}
