using EventSourcing.Grpc.Protocol;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EventSourcing.Node.Grpc;

/// <summary>
/// Ends every failed call with the protocol's error contract (<see cref="ErrorContract"/>): a status code, the
/// message, and an ErrorInfo reason. Unexpected errors are logged and reported as INTERNAL without internals.
/// </summary>
internal sealed partial class ErrorMapping(ILogger<ErrorMapping> logger) : Interceptor
{
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
            throw Map(logger, context.Method, ex);
        }
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
        => MappedAsync(() => continuation(request, responseStream, context), context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        => MappedAsync(() => continuation(requestStream, responseStream, context), context);

    /// <summary>A streaming call's handler, its failure mapped as a unary call's is.</summary>
    private async Task MappedAsync(Func<Task> handler, ServerCallContext context)
    {
        try
        {
            await handler();
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(logger, context.Method, ex);
        }
    }

    /// <summary>
    /// The status <paramref name="error"/> ends a call of <paramref name="method"/> with, logged: an unexpected error
    /// as an error, another failure (not a cancellation) as information. A call of <c>CallStream</c> answers with it too.
    /// </summary>
    internal static RpcException Map(ILogger logger, string method, Exception error)
    {
        var mapped = ErrorContract.ToRpcException(error);
        if (mapped.StatusCode == StatusCode.Internal)
        {
            UnexpectedError(logger, method, error);
        }
        else if (mapped.StatusCode != StatusCode.Cancelled)
        {
            CallFailed(logger, method, mapped.StatusCode, error.Message);
        }

        return mapped;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed unexpectedly")]
    private static partial void UnexpectedError(ILogger logger, string method, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} -> {Code}: {Message}")]
    private static partial void CallFailed(ILogger logger, string method, StatusCode code, string message);
}
