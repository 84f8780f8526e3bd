namespace EventSourcing.Grpc;

/// <summary>
/// A remote call had the wrong number of arguments, or an argument of the wrong type. The message names the
/// parameter; <see cref="Field"/> names the offending part of the request (<c>args</c>, or <c>args[1]</c> for the second).
/// </summary>
public sealed class RemoteArgumentException(string message, string field = "args", Exception? innerException = null)
    : EventSourcingException(message, innerException)
{
    public string Field { get; } = field;
}
