using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace EventSourcing.Grpc.Protocol;

/// <summary>
/// Both ends of the protocol's errors, in one place: a node turns the library's exceptions into a status with a
/// <c>google.rpc.ErrorInfo</c> (and a <c>BadRequest</c> for a bad argument or field); a client turns that back into
/// the exception the application raised.
/// </summary>
public static class ErrorContract
{
    /// <summary>The status a node answers with when <paramref name="error"/> ends a call.</summary>
    public static RpcException ToRpcException(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            RpcException rpc => rpc,
            RemoteMethodNotFoundException notFound => Status(Code.NotFound, ErrorReasons.MethodNotFound, error.Message, ("method", notFound.Method)),
            RemoteArgumentException bad => Invalid(ErrorReasons.BadArguments, bad.Field, error.Message),
            AggregateNotFoundException missing => Status(
                Code.NotFound,
                ErrorReasons.AggregateNotFound,
                error.Message,
                ("aggregate_id", missing.AggregateId.ToString()),
                ("version", missing.Version?.ToString(CultureInfo.InvariantCulture))),
            ConcurrencyException => Status(Code.Aborted, ErrorReasons.VersionConflict, error.Message),
            IntegrityException => Status(Code.AlreadyExists, ErrorReasons.IntegrityError, error.Message),
            ArgumentException argument => Invalid(ErrorReasons.ArgumentRejected, argument.ParamName, MessageWithoutParameter(argument)),
            JsonException or FormatException => Invalid(ErrorReasons.ArgumentRejected, null, error.Message),
            OperationalException operational => Status(
                Code.Unavailable,
                ErrorReasons.StoreUnavailable,
                error.Message,
                ("transient", operational.IsTransient ? "true" : "false")),
            ConfigurationException => Status(Code.FailedPrecondition, ErrorReasons.ConfigurationError, error.Message),
            ProgrammingException => Status(Code.FailedPrecondition, ErrorReasons.ProgrammingError, error.Message),
            DecodingException => Status(Code.DataLoss, ErrorReasons.DecodingFailed, error.Message),
            InvalidOperationException => Status(Code.FailedPrecondition, ErrorReasons.InvalidOperation, error.Message),
            EventSourcingException => Status(Code.FailedPrecondition, ErrorReasons.ApplicationError, error.Message, ("exception", error.GetType().Name)),
            OperationCanceledException => new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled")),
            _ => Status(Code.Internal, ErrorReasons.Internal, $"{error.GetType().Name}: {error.Message}"),
        };
    }

    /// <summary>INVALID_ARGUMENT with reason BAD_REQUEST and a field violation naming <paramref name="field"/>.</summary>
    public static RpcException BadRequest(string field, string message) => Invalid(ErrorReasons.BadRequest, field, message);

    /// <summary>UNAUTHENTICATED with reason UNAUTHENTICATED.</summary>
    public static RpcException Unauthenticated(string message) => Status(Code.Unauthenticated, ErrorReasons.Unauthenticated, message);

    /// <summary>PERMISSION_DENIED with reason DECODE_NOT_PERMITTED: plaintext asked of a node that authenticates nobody.</summary>
    public static RpcException DecodeNotPermitted(string listen)
        => Status(
            Code.PermissionDenied,
            ErrorReasons.DecodeNotPermitted,
            $"decode is refused: this node listens on {listen}, reachable from other hosts, and authenticates no caller (--insecure), so it returns "
            + "events only as stored; start it with --token-file or --tls-client-ca to decode for authenticated callers");

    /// <summary>RESOURCE_EXHAUSTED with reason TOO_MANY_SUBSCRIBERS: a node refuses a Subscribe stream beyond its cap.</summary>
    public static RpcException TooManySubscribers(int maxSubscribers)
        => Status(
            Code.ResourceExhausted,
            ErrorReasons.TooManySubscribers,
            $"This node serves at most {maxSubscribers} Subscribe streams at once (--max-subscribers), and that many are open; try again later",
            ("max_subscribers", maxSubscribers.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The reason of a failed call's ErrorInfo, or null when the status carries none (e.g. the node could not be reached).</summary>
    public static string? ReasonOf(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return ErrorInfoOf(error)?.Reason;
    }

    /// <summary>
    /// The exception the application raised, as far as the node reported it (by ErrorInfo reason); a status with no
    /// closer type becomes a <see cref="RemoteCallException"/>. <paramref name="application"/> names the node in messages.
    /// </summary>
    public static Exception ToException(RpcException error, string application)
    {
        ArgumentNullException.ThrowIfNull(error);
        var info = ErrorInfoOf(error);
        var message = error.Status.Detail;
        string? Meta(string key) => info is not null && info.Metadata.TryGetValue(key, out var value) ? value : null;
        return info?.Reason switch
        {
            ErrorReasons.MethodNotFound => new RemoteMethodNotFoundException(Meta("method") ?? string.Empty, message, error),
            ErrorReasons.BadArguments => new RemoteArgumentException(message, FieldOf(error) ?? "args", error),
            ErrorReasons.AggregateNotFound when Guid.TryParse(Meta("aggregate_id"), out var id)
                => new AggregateNotFoundException(id, int.TryParse(Meta("version"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) ? version : null),
            ErrorReasons.VersionConflict => new ConcurrencyException(message, error),
            ErrorReasons.IntegrityError => new IntegrityException(message, error),
            ErrorReasons.ArgumentRejected => new ArgumentException(message, FieldOf(error), error),
            ErrorReasons.StoreUnavailable => new OperationalException(message, error, isTransient: Meta("transient") == "true"),
            ErrorReasons.TooManySubscribers => new OperationalException($"{application}: {message}", error, isTransient: true),
            ErrorReasons.ConfigurationError => new ConfigurationException(message, error),
            ErrorReasons.ProgrammingError => new ProgrammingException(message, error),
            ErrorReasons.DecodingFailed => new DecodingException(message, error),
            ErrorReasons.InvalidOperation => new InvalidOperationException(message, error),
            _ when error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
                => new OperationalException($"{application} is unavailable: {message}", error, isTransient: true),
            _ => new RemoteCallException(error.StatusCode, info?.Reason, $"{application}: {error.StatusCode}: {message}", error),
        };
    }

    /// <summary>The first field violation's field, when the status carries a BadRequest.</summary>
    public static string? FieldOf(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.FirstOrDefault()?.Field;
    }

    /// <summary>
    /// An argument error's message without the " (Parameter 'name')" that .NET appends: the parameter travels as the
    /// field of a BadRequest, and the client's ArgumentException appends it again.
    /// </summary>
    private static string MessageWithoutParameter(ArgumentException error)
    {
        var suffix = error.ParamName is null ? null : $" (Parameter '{error.ParamName}')";
        return suffix is not null && error.Message.EndsWith(suffix, StringComparison.Ordinal) ? error.Message[..^suffix.Length] : error.Message;
    }

    private static ErrorInfo? ErrorInfoOf(RpcException error)
    {
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        return info?.Domain == ErrorReasons.Domain ? info : null;
    }

    private static RpcException Invalid(string reason, string? field, string message)
    {
        var status = NewStatus(Code.InvalidArgument, reason, message, []);
        if (!string.IsNullOrEmpty(field))
        {
            status.Details.Add(Any.Pack(new Google.Rpc.BadRequest
            {
                FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = field, Description = message } },
            }));
        }

        return status.ToRpcException();
    }

    private static RpcException Status(Code code, string reason, string message, params (string Key, string? Value)[] metadata)
        => NewStatus(code, reason, message, metadata).ToRpcException();

    private static Google.Rpc.Status NewStatus(Code code, string reason, string message, (string Key, string? Value)[] metadata)
    {
        var info = new ErrorInfo { Domain = ErrorReasons.Domain, Reason = reason };
        foreach (var (key, value) in metadata)
        {
            if (value is not null)
            {
                info.Metadata[key] = value;
            }
        }

        return new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
    }
}
