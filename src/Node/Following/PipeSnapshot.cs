namespace EventSourcing.Node.Following;

/// <summary>A pipe's state at one moment, for Status.</summary>
public sealed record PipeSnapshot(
    string Leader,
    Uri Url,
    PipeState State,
    long Position,
    long LeaderMaxNotificationId,
    string? LastError,
    int Reconnects);
