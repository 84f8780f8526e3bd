using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EventSourcing.Grpc.Protocol;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Node.Grpc;

/// <summary>Calls the hosted application's [Remote] methods: JSON arguments in, JSON result out.</summary>
internal sealed class ApplicationService(Hosting.HostedApplication hosted) : Proto.Application.ApplicationBase
{
    public override async Task<Proto.CallResponse> Call(Proto.CallRequest request, ServerCallContext context)
    {
        using var args = JsonDocument.Parse(request.Args is null ? "[]" : JsonFormatter.Default.Format(request.Args));
        var result = await hosted.Dispatcher.CallAsync(request.Method, args.RootElement, context.CancellationToken);
        return new Proto.CallResponse
        {
            Result = result is { } json ? JsonParser.Default.Parse<Value>(json.GetRawText()) : Value.ForNull(),
        };
    }
}
