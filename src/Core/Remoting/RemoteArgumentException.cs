namespace EventSourcing;

/// <summary>A remote call had the wrong number of arguments, or an argument of the wrong type. The message names the parameter.</summary>
public sealed class RemoteArgumentException(string message, Exception? innerException = null)
    : EventSourcingException(message, innerException);
