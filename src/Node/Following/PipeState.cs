namespace EventSourcing.Node.Following;

public enum PipeState
{
    /// <summary>Opening the subscription to the leader.</summary>
    Connecting,

    /// <summary>Subscribed, processing what the leader sends.</summary>
    Running,

    /// <summary>Waiting (with backoff) to try again after an error.</summary>
    Retrying,

    /// <summary>Stopped on a policy error; tracking stays where it was. Restart the node to try again.</summary>
    Failed,

    /// <summary>The node is stopping.</summary>
    Stopped,
}
