namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>What the runner tests observe of an application wherever it runs, in this process or on a node.</summary>
[Remote]
public interface IApplicationProbe
{
    /// <summary>The application's setting <paramref name="key"/> ({APP}_{KEY}, then {KEY}); null when unset.</summary>
    Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The id of the last notification in the application's log; 0 when empty.</summary>
    Task<long> GetMaxNotificationIdAsync(CancellationToken cancellationToken = default);
}
