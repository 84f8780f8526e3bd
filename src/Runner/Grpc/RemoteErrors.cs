using Grpc.Core;

namespace EventSourcing.Runner.Grpc;

/// <summary>Turns a failed call back into the exception the application raised, as far as the node reported it.</summary>
internal static class RemoteErrors
{
    /// <summary>The trailer in which a node names the exception type (see the node's error mapping).</summary>
    public const string ErrorTypeTrailer = "eventsourcing-error";

    public const string AggregateIdTrailer = "eventsourcing-aggregate-id";

    public static Exception ToException(RpcException error, string application)
    {
        var type = error.Trailers.GetValue(ErrorTypeTrailer);
        var message = error.Status.Detail;
        return type switch
        {
            nameof(AggregateNotFoundException) when Guid.TryParse(error.Trailers.GetValue(AggregateIdTrailer), out var id) => new AggregateNotFoundException(id),
            nameof(ConcurrencyException) => new ConcurrencyException(message, error),
            nameof(IntegrityException) => new IntegrityException(message, error),
            nameof(RemoteArgumentException) => new RemoteArgumentException(message, error),
            nameof(ArgumentException) or nameof(ArgumentNullException) or nameof(ArgumentOutOfRangeException) => new ArgumentException(message, error),
            nameof(ConfigurationException) => new ConfigurationException(message, error),
            nameof(DecodingException) => new DecodingException(message, error),
            nameof(ProgrammingException) => new ProgrammingException(message, error),
            nameof(InvalidOperationException) => new InvalidOperationException(message, error),
            _ when error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
                => new OperationalException($"{application} is unavailable: {message}", error, isTransient: true),
            nameof(OperationalException) => new OperationalException(message, error),
            _ => new RemoteCallException(error.StatusCode, $"{application}: {error.StatusCode}: {message}", error),
        };
    }
}
