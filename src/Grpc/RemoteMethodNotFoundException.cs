namespace EventSourcing.Grpc;

/// <summary>A remote call named a method the application does not expose. The message lists the callable ones.</summary>
public sealed class RemoteMethodNotFoundException : EventSourcingException
{
    public RemoteMethodNotFoundException(string application, string method, IEnumerable<string> callable)
        : base($"{application} has no remotely callable method '{method}' (callable: {string.Join(", ", callable)})")
    {
        Method = method;
    }

    /// <summary>As a client receives it from a node: the node's message.</summary>
    public RemoteMethodNotFoundException(string method, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Method = method;
    }

    /// <summary>The name that was called.</summary>
    public string Method { get; }
}
