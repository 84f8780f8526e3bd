namespace EventSourcing;

/// <summary>How a <see cref="LeaderPipe"/> meets errors. Every property states its default.</summary>
public sealed class PipeOptions
{
    /// <summary>When the policy throws: stop the pipe (default), or try the same notification again with backoff.</summary>
    public PolicyErrorBehaviour OnPolicyError { get; init; } = PolicyErrorBehaviour.Stop;

    /// <summary>
    /// Whether an unexpected error (neither the policy's nor a fault of the store or the source, which are always
    /// retried: see <see cref="LeaderPipe.IsFault"/>) is retried with backoff too; when false (the default) it stops
    /// the pipe.
    /// </summary>
    public bool RetryOtherErrors { get; init; }

    /// <summary>
    /// Whether the pipe accepts a leader log other than the one it has followed (its log id changed, or it ends before
    /// the pipe's position), following it from where it starts, instead of stopping. Default false: a replaced log is
    /// an error, since its ids mean other events. Set it for one start, when the new log is meant.
    /// </summary>
    public bool AcceptNewLeaderLog { get; init; }

    /// <summary>The first wait before trying again. Default 100 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait before trying again. Default 10 seconds.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);
}
