using Grpc.Core;

namespace EventSourcing.Runner.Grpc;

/// <summary>A remote call failed with a status that has no closer exception type; <see cref="StatusCode"/> says which.</summary>
public sealed class RemoteCallException(StatusCode statusCode, string message, Exception? innerException = null)
    : EventSourcingException(message, innerException)
{
    public StatusCode StatusCode { get; } = statusCode;
}
