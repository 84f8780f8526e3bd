namespace EventSourcing;

/// <summary>The runner was stopped by an error in a follower; the original error is the inner exception.</summary>
public sealed class RunnerFailedException(Exception error)
    : EventSourcingException(error.Message, error);
