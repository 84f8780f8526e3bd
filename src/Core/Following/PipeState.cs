namespace EventSourcing;

/// <summary>Where a <see cref="LeaderPipe"/> is.</summary>
public enum PipeState
{
    /// <summary>Opening the subscription to the leader.</summary>
    Connecting,

    /// <summary>Subscribed, processing what the leader sends.</summary>
    Running,

    /// <summary>Waiting (with backoff) to try again after an error.</summary>
    Retrying,

    /// <summary>Stopped on an error (see <see cref="PipeStatus.LastError"/>); tracking stays before the failed notification.</summary>
    Failed,

    /// <summary>Stopped because its runner or node is stopping.</summary>
    Stopped,
}
