namespace EventSourcing;

/// <summary>A remote call named a method the application does not expose. The message lists the callable ones.</summary>
public sealed class RemoteMethodNotFoundException(string application, string method, IEnumerable<string> callable)
    : EventSourcingException(
        $"{application} has no remotely callable method '{method}' (callable: {string.Join(", ", callable)})");
