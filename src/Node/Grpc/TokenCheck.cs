using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EventSourcing.Node.Grpc;

/// <summary>
/// With shared tokens configured, every call except health checks must carry <c>authorization: Bearer TOKEN</c> with
/// one of them.
/// </summary>
internal sealed class TokenCheck(NodeOptions options) : Interceptor
{
    private readonly byte[][]? _expected = options.Tokens.Count == 0 ? null : [.. options.Tokens.Select(BearerToken.Expected)];

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (_expected is null || context.Method.StartsWith(BearerToken.HealthServicePrefix, StringComparison.Ordinal))
        {
            return;
        }

        if (!BearerToken.Matches(context.RequestHeaders, _expected))
        {
            throw ErrorContract.Unauthenticated($"This node requires a token: send the header '{BearerToken.HeaderName}: {BearerToken.Scheme}TOKEN'");
        }
    }
}
