using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EventSourcing.Grpc.Protocol;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Grpc;

/// <summary>
/// Stands in for an application on another node: each method of a [Remote] interface becomes an
/// <c>Application.Call</c> with JSON arguments, and the JSON result is turned back into the method's result type.
/// </summary>
public class RemoteProxy : DispatchProxy
{
    private static readonly MethodInfo CallWithResultMethod = typeof(RemoteProxy).GetMethod(nameof(CallWithResultAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private NodeClient _client = null!;
    private string _application = string.Empty;

    /// <summary>A proxy of <typeparamref name="T"/> (a [Remote] interface) calling the application on <paramref name="client"/>'s node.</summary>
    public static T Create<T>(NodeClient client, string application)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        RemoteMethods.CheckInterface(typeof(T));
        var proxy = DispatchProxy.Create<T, RemoteProxy>();
        var remote = (RemoteProxy)(object)proxy;
        remote._client = client;
        remote._application = application;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        args ??= [];
        var resultType = RemoteMethods.ResultTypeOf(targetMethod);
        var parameters = RemoteMethods.ArgumentsOf(targetMethod);
        var cancellationToken = parameters.Length < args.Length && args[^1] is CancellationToken token ? token : CancellationToken.None;
        var request = new Proto.CallRequest { Method = RemoteMethods.NameOf(targetMethod), Args = ToListValue(parameters, args) };
        return resultType is null
            ? CallAsync(request, cancellationToken)
            : CallWithResultMethod.MakeGenericMethod(resultType).Invoke(this, [request, cancellationToken]);
    }

    private static ListValue ToListValue(ParameterInfo[] parameters, object?[] args)
    {
        var values = new JsonElement[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            values[i] = JsonSerializer.SerializeToElement(args[i], parameters[i].ParameterType, RemoteJson.Options);
        }

        return JsonParser.Default.Parse<ListValue>(JsonSerializer.Serialize(values, RemoteJson.Options));
    }

    private async Task CallAsync(Proto.CallRequest request, CancellationToken cancellationToken)
        => await SendAsync(request, cancellationToken);

    private async Task<T> CallWithResultAsync<T>(Proto.CallRequest request, CancellationToken cancellationToken)
    {
        var result = await SendAsync(request, cancellationToken);
        return JsonSerializer.Deserialize<T>(JsonFormatter.Default.Format(result), RemoteJson.Options)!;
    }

    private async Task<Value> SendAsync(Proto.CallRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.Application.CallAsync(request, Headers(), cancellationToken: cancellationToken);
            return response.Result ?? Value.ForNull();
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            throw ErrorContract.ToException(ex, _application);
        }
    }

    /// <summary>The client's headers, and the correlation id of the current <see cref="Correlation"/> scope when there is one.</summary>
    private Metadata? Headers()
    {
        if (Correlation.CurrentId is not { } correlationId)
        {
            return _client.Headers;
        }

        var headers = new Metadata();
        foreach (var entry in _client.Headers ?? [])
        {
            headers.Add(entry);
        }

        headers.Add(Correlation.HeaderName, correlationId);
        return headers;
    }
}
