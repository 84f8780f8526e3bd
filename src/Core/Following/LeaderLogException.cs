namespace EventSourcing;

/// <summary>
/// What a leader sent cannot be followed without skipping or applying events twice: its log was replaced or rolled
/// back, or a batch broke the log's order. A pipe stops on it, loudly, and is not retried.
/// </summary>
public sealed class LeaderLogException(string message) : EventSourcingException(message);
