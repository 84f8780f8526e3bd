using Google.Protobuf.WellKnownTypes;
using EventSourcing.Grpc.V1;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Processes;

namespace EventSourcing.Integration.Tests;

/// <summary>A node a test started by hand.</summary>
public sealed class TestNode(NodeSpec spec, NodeProcess process, NodeClient client)
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    public NodeSpec Spec { get; } = spec;

    public NodeProcess Process { get; internal set; } = process;

    public NodeClient Client { get; } = client;

    public string Name => Spec.Name;

    public Uri Url => Spec.Url;

    public string Address => Spec.Address;

    /// <summary>An <c>Application.Call</c> request with string arguments, as a person types it for grpcurl.</summary>
    public static CallRequest Request(string method, params string[] args)
    {
        var request = new CallRequest { Method = method, Args = new ListValue() };
        request.Args.Values.AddRange(args.Select(Value.ForString));
        return request;
    }

    /// <summary>Calls a remote method of the node's application (with the node's token, if any) and returns its result.</summary>
    public Task<Value> CallAsync(string method, params string[] args) => CallAsync(CallDeadline, method, args);

    public async Task<Value> CallAsync(TimeSpan deadline, string method, params string[] args)
    {
        var response = await Client.Application.CallAsync(Request(method, args), Client.Headers, DateTime.UtcNow.Add(deadline));
        return response.Result;
    }
}
