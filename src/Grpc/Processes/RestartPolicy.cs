namespace EventSourcing.Grpc.Processes;

/// <summary>
/// When a supervisor stops restarting a node that keeps dying: after <see cref="MaxRestarts"/> exits within
/// <see cref="Window"/>. Every property states its default.
/// </summary>
public sealed record RestartPolicy
{
    /// <summary>How many unexpected exits within <see cref="Window"/> are restarted; the next one is not. Default 5.</summary>
    public int MaxRestarts { get; init; } = 5;

    /// <summary>The span in which exits count against <see cref="MaxRestarts"/>. Default 60 seconds.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The first wait before a restart, doubled after each one up to <see cref="MaxDelay"/>. Default 0.5 seconds.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait before a restart. Default 30 seconds.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A node that has stayed up this long is restarted after <see cref="FirstDelay"/> again. Default 30 seconds.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(30);
}
