using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Node.Grpc;

/// <summary>Calls the hosted application's [Remote] methods: JSON arguments in, JSON result out.</summary>
internal sealed class ApplicationService(Hosting.HostedApplication hosted, IHostApplicationLifetime lifetime, ILogger<ApplicationService> logger) : Proto.Application.ApplicationBase
{
    /// <remarks>
    /// The call runs with the correlation id of the <c>x-correlation-id</c> request header, or a new one, which the
    /// response headers return; the events the call records carry it.
    /// </remarks>
    public override async Task<Proto.CallResponse> Call(Proto.CallRequest request, ServerCallContext context)
    {
        var correlationId = CorrelationIdOf(context.RequestHeaders.GetValue(Correlation.HeaderName), Correlation.HeaderName, $"request header {Correlation.HeaderName}");

        // Sent with the response's own headers: no frame of its own, no flush before the call is done.
        context.GetHttpContext().Response.Headers.Append(Correlation.HeaderName, correlationId);
        return new Proto.CallResponse { Result = await InvokeAsync(hosted.Dispatcher, request.Method, request.Args, correlationId, context.CancellationToken) };
    }

    /// <summary>
    /// The correlation id a call runs with: <paramref name="given"/> (null when the caller sent none), once checked, or a
    /// new one. One that is not valid is a bad request naming <paramref name="field"/> (the <paramref name="described"/>).
    /// </summary>
    internal static string CorrelationIdOf(string? given, string field, string described)
    {
        if (given is null)
        {
            return Correlation.NewId();
        }

        return Correlation.Validate(given) is { } problem
            ? throw ErrorContract.BadRequest(field, $"The {described} {problem}")
            : given;
    }

    /// <summary>
    /// Calls <paramref name="method"/> with <paramref name="args"/> (a JSON list) under <paramref name="correlationId"/>,
    /// its result as JSON: what <c>Call</c> and each call of <c>CallStream</c> do once their correlation id is settled.
    /// Arguments that are no JSON are a bad request naming <c>args</c>.
    /// </summary>
    internal static async Task<Value> InvokeAsync(
        RemoteDispatcher dispatcher, string method, ListValue args, string correlationId, CancellationToken cancellationToken)
    {
        using var correlation = Correlation.Begin(correlationId);
        JsonDocument document;
        try
        {
            document = ProtoJson.ToDocument(args);
        }
        catch (FormatException ex)
        {
            throw ErrorContract.BadRequest("args", $"{method}: {ex.Message}");
        }

        using (document)
        {
            var result = await dispatcher.CallAsync(method, document.RootElement, cancellationToken);
            return result is { } json ? ProtoJson.ToValue(json) : Value.ForNull();
        }
    }

    /// <remarks>See <see cref="CallStreamSession"/>: each call's correlation id is its request's, or a new one, which its response returns.</remarks>
    public override Task CallStream(
        IAsyncStreamReader<Proto.CallStreamRequest> requestStream,
        IServerStreamWriter<Proto.CallStreamResponse> responseStream,
        ServerCallContext context)
        => new CallStreamSession(hosted.Dispatcher, context, lifetime.ApplicationStopping, logger).RunAsync(requestStream, responseStream);
}
