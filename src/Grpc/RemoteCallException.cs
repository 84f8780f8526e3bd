using Grpc.Core;

namespace EventSourcing.Grpc;

/// <summary>
/// A remote call failed with a status that has no closer exception type; <see cref="StatusCode"/> and
/// <see cref="Reason"/> (the ErrorInfo reason, when the node sent one) say which.
/// </summary>
public sealed class RemoteCallException(StatusCode statusCode, string? reason, string message, Exception? innerException = null)
    : EventSourcingException(message, innerException)
{
    public StatusCode StatusCode { get; } = statusCode;

    public string? Reason { get; } = reason;
}
