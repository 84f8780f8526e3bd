using System.Collections.Concurrent;
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
/// A proxy made over a <see cref="RemoteCallStream"/> sends its calls on that stream instead (pipelining).
/// </summary>
public class RemoteProxy : DispatchProxy
{
    private static readonly MethodInfo StartWithResultMethod = typeof(RemoteProxy).GetMethod(nameof(StartWithResult), BindingFlags.NonPublic | BindingFlags.Static)!;

    // What each call of a method needs, worked out on its first call.
    private static readonly ConcurrentDictionary<MethodInfo, ProxyMethod> Methods = new();

    private NodeClient _client = null!;
    private RemoteCallStream? _stream;
    private string _application = string.Empty;

    /// <summary>A proxy of <typeparamref name="T"/> (a [Remote] interface) calling the application on <paramref name="client"/>'s node.</summary>
    public static T Create<T>(NodeClient client, string application)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        return New<T>(client, null, application);
    }

    /// <summary>
    /// A proxy of <typeparamref name="T"/> whose calls go over <paramref name="calls"/>: a caller may start many
    /// calls without awaiting each, and they share one stream (see <see cref="RemoteCallStream"/>).
    /// </summary>
    public static T Create<T>(RemoteCallStream calls)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(calls);
        return New<T>(null, calls, calls.Application);
    }

    private static T New<T>(NodeClient? client, RemoteCallStream? stream, string application)
        where T : class
    {
        RemoteMethods.CheckInterface(typeof(T));
        var proxy = DispatchProxy.Create<T, RemoteProxy>();
        var remote = (RemoteProxy)(object)proxy;
        remote._client = client!;
        remote._stream = stream;
        remote._application = application;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        args ??= [];
        var method = Methods.GetOrAdd(targetMethod, ProxyMethod.Of);
        var parameters = method.Parameters;
        var cancellationToken = parameters.Length < args.Length && args[^1] is CancellationToken token ? token : CancellationToken.None;
        var request = new Proto.CallRequest { Method = method.Name, Args = ToListValue(parameters, args) };
        return method.CallWithResult is null ? CallAsync(request, cancellationToken) : method.CallWithResult(this, request, cancellationToken);
    }

    private static ListValue ToListValue(ParameterInfo[] parameters, object?[] args)
        => ProtoJson.ToListValue(parameters.Select((parameter, i) => JsonSerializer.SerializeToElement(args[i], parameter.ParameterType, RemoteJson.Options)));

    private async Task CallAsync(Proto.CallRequest request, CancellationToken cancellationToken)
        => await SendAsync(request, cancellationToken);

    private static object StartWithResult<T>(RemoteProxy proxy, Proto.CallRequest request, CancellationToken cancellationToken)
        => proxy.CallWithResultAsync<T>(request, cancellationToken);

    private async Task<T> CallWithResultAsync<T>(Proto.CallRequest request, CancellationToken cancellationToken)
    {
        var result = await SendAsync(request, cancellationToken);
        return ProtoJson.Deserialize<T>(result, RemoteJson.Options)!;
    }

    private async Task<Value> SendAsync(Proto.CallRequest request, CancellationToken cancellationToken)
    {
        if (_stream is not null)
        {
            return await _stream.CallAsync(request.Method, request.Args, cancellationToken);
        }

        try
        {
            var response = await _client.Application.CallAsync(request, Headers(), cancellationToken: cancellationToken);
            return response.Result ?? Value.ForNull();
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // The caller's own cancellation, as a call in process (or on a stream) reports it.
            throw new OperationCanceledException($"{_application}: the call {request.Method} was cancelled", ex, cancellationToken);
        }
        catch (RpcException ex)
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

    /// <summary>A method of the proxied interface: its remote name, its arguments, and for a result of type T a compiled call of <see cref="CallWithResultAsync{T}"/>.</summary>
    private sealed record ProxyMethod(string Name, ParameterInfo[] Parameters, Func<RemoteProxy, Proto.CallRequest, CancellationToken, object>? CallWithResult)
    {
        public static ProxyMethod Of(MethodInfo method)
        {
            Func<RemoteProxy, Proto.CallRequest, CancellationToken, object>? callWithResult = null;
            if (RemoteMethods.ResultTypeOf(method) is { } resultType)
            {
                callWithResult = StartWithResultMethod.MakeGenericMethod(resultType).CreateDelegate<Func<RemoteProxy, Proto.CallRequest, CancellationToken, object>>();
            }

            return new ProxyMethod(RemoteMethods.NameOf(method), RemoteMethods.ArgumentsOf(method), callWithResult);
        }
    }
}
