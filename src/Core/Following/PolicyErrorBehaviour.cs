namespace EventSourcing;

/// <summary>What a follower's pipe does when its policy throws: never a silent skip.</summary>
public enum PolicyErrorBehaviour
{
    /// <summary>The pipe stops, its tracking stays where it was; restart the node to try again.</summary>
    Stop,

    /// <summary>The pipe tries the same notification again, with backoff.</summary>
    Retry,
}
