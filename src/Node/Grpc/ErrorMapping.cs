using System.Text.Json;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EventSourcing.Node.Grpc;

/// <summary>
/// The one place where the project's exceptions become gRPC status codes, with their messages. Anything
/// unexpected is logged and reported as INTERNAL without internals.
/// </summary>
internal sealed partial class ErrorMapping(ILogger<ErrorMapping> logger) : Interceptor
{
    public const string ErrorTypeTrailer = "eventsourcing-error";

    public const string AggregateIdTrailer = "eventsourcing-aggregate-id";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    /// <summary>The status code for an error, as a client sees it.</summary>
    public static StatusCode CodeOf(Exception error) => error switch
    {
        RemoteMethodNotFoundException => StatusCode.NotFound,
        AggregateNotFoundException => StatusCode.NotFound,
        RemoteArgumentException or ArgumentException or JsonException or FormatException => StatusCode.InvalidArgument,
        ConcurrencyException => StatusCode.Aborted,
        IntegrityException => StatusCode.AlreadyExists,
        OperationCanceledException => StatusCode.Cancelled,
        OperationalException => StatusCode.Unavailable,
        ConfigurationException => StatusCode.FailedPrecondition,
        DecodingException => StatusCode.DataLoss,
        InvalidOperationException or EventSourcingException => StatusCode.FailedPrecondition,
        _ => StatusCode.Internal,
    };

    private RpcException Map(Exception error, ServerCallContext context)
    {
        var code = CodeOf(error);
        if (code == StatusCode.Internal)
        {
            UnexpectedError(logger, context.Method, error);
            return new RpcException(new Status(code, $"{error.GetType().Name}: {error.Message}"));
        }

        if (code != StatusCode.Cancelled)
        {
            CallFailed(logger, context.Method, code, error.Message);
        }

        // Lets a client raise the same exception type the application raised (the runner's proxies do).
        var trailers = new Metadata { { ErrorTypeTrailer, error.GetType().Name } };
        if (error is AggregateNotFoundException notFound)
        {
            trailers.Add(AggregateIdTrailer, notFound.AggregateId.ToString());
        }

        return new RpcException(new Status(code, error.Message), trailers);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed unexpectedly")]
    private static partial void UnexpectedError(ILogger logger, string method, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} -> {Code}: {Message}")]
    private static partial void CallFailed(ILogger logger, string method, StatusCode code, string message);
}
