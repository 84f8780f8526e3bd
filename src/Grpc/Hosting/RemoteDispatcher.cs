using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using EventSourcing.Grpc.Protocol;

namespace EventSourcing.Grpc.Hosting;

/// <summary>
/// Calls an application's remotely callable methods by name with JSON arguments: exactly the methods of the
/// <see cref="RemoteAttribute"/> interfaces it implements, named without <c>Async</c>, the trailing
/// <see cref="CancellationToken"/> supplied by the caller of <see cref="CallAsync"/>. Nothing else is reachable.
/// </summary>
public sealed class RemoteDispatcher
{
    private static readonly MethodInfo AwaitResultMethod = typeof(RemoteDispatcher).GetMethod(nameof(AwaitResultAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly NullabilityInfoContext Nullability = new();

    private readonly object _target;
    private readonly string _targetName;
    private readonly Dictionary<string, RemoteMethod> _methods = new(StringComparer.Ordinal);

    public RemoteDispatcher(object target, string? targetName = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _targetName = targetName ?? target.GetType().Name;
        foreach (var (name, method) in RemoteMethods.MethodsOf(target.GetType()))
        {
            _methods[name] = new RemoteMethod(
                name,
                method,
                RemoteMethods.ArgumentsOf(method),
                method.GetParameters().Length,
                RemoteMethods.ResultTypeOf(method) is { } resultType
                    ? AwaitResultMethod.MakeGenericMethod(resultType).CreateDelegate<Func<Task, Task<JsonElement>>>()
                    : null,
                new CommandTelemetry(_targetName, name));
        }
    }

    /// <summary>The callable names, sorted.</summary>
    public IReadOnlyList<string> MethodNames => [.. _methods.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Calls <paramref name="method"/> with <paramref name="args"/> (a JSON array, or undefined for none) and returns
    /// its result as JSON (null for a method without one). Raises <see cref="RemoteMethodNotFoundException"/> or
    /// <see cref="RemoteArgumentException"/> for a bad call; what the method itself throws passes through unchanged.
    /// The call of a method found is a span of <see cref="Diagnostics.Telemetry.ActivitySource"/>, current while the
    /// method runs, and is counted by outcome (see <see cref="CommandTelemetry"/>).
    /// </summary>
    public async Task<JsonElement?> CallAsync(string method, JsonElement args, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(method) || !_methods.TryGetValue(method, out var remote))
        {
            throw new RemoteMethodNotFoundException(_targetName, method ?? string.Empty, MethodNames);
        }

        // One method, not a wrapper around another: no second state machine per call.
        using var activity = remote.Telemetry.Start();
        try
        {
            var values = ConvertArguments(remote, args, cancellationToken);
            Task task;
            try
            {
                task = (Task)remote.Method.Invoke(_target, values)!;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }

            JsonElement? result = null;
            if (remote.AwaitResult is null)
            {
                await task;
            }
            else
            {
                result = await remote.AwaitResult(task);
            }

            remote.Telemetry.Succeeded(activity);
            return result;
        }
        catch (Exception ex)
        {
            remote.Telemetry.Failed(activity, ex);
            throw;
        }
    }

    private object?[] ConvertArguments(RemoteMethod remote, JsonElement args, CancellationToken cancellationToken)
    {
        var given = args.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => [],
            JsonValueKind.Array => args.EnumerateArray().ToArray(),
            _ => throw new RemoteArgumentException($"{remote.Name}: args must be a JSON array, got {Describe(args)}"),
        };

        var parameters = remote.Arguments;
        var required = remote.Required;
        if (given.Length < required || given.Length > parameters.Length)
        {
            var expected = required == parameters.Length ? $"{required}" : $"{required} to {parameters.Length}";
            throw new RemoteArgumentException(
                $"{remote.Name} takes {expected} argument{(parameters.Length == 1 ? string.Empty : "s")} ({Signature(parameters)}), got {given.Length}");
        }

        var values = new object?[remote.ParameterCount];
        for (var i = 0; i < parameters.Length; i++)
        {
            values[i] = i < given.Length ? Convert(remote, parameters[i], i, given[i]) : parameters[i].DefaultValue;
        }

        if (remote.ParameterCount > parameters.Length)
        {
            values[^1] = cancellationToken;
        }

        return values;
    }

    private static object? Convert(RemoteMethod remote, ParameterInfo parameter, int index, JsonElement value)
    {
        object? converted;
        try
        {
            converted = value.Deserialize(parameter.ParameterType, RemoteJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new RemoteArgumentException(
                $"{remote.Name}: argument {index + 1} ({parameter.Name}) must be {TypeName(parameter.ParameterType)}, got {Describe(value)}", FieldOf(index), ex);
        }

        if (converted is null && !AcceptsNull(parameter))
        {
            throw new RemoteArgumentException($"{remote.Name}: argument {index + 1} ({parameter.Name}) must be {TypeName(parameter.ParameterType)}, got null", FieldOf(index));
        }

        return converted;
    }

    /// <summary>The request field of argument <paramref name="index"/>, as a BadRequest field violation names it.</summary>
    private static string FieldOf(int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"args[{index}]");

    private static bool AcceptsNull(ParameterInfo parameter)
        => parameter.ParameterType.IsValueType
            ? Nullable.GetUnderlyingType(parameter.ParameterType) is not null
            : Nullability.Create(parameter).WriteState != NullabilityState.NotNull;

    private static string Signature(ParameterInfo[] parameters)
        => string.Join(", ", parameters.Select(p => $"{p.Name}: {TypeName(p.ParameterType)}"));

    private static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying) + " or null";
        }

        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(Guid) => "a UUID string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "an ISO 8601 date-time string",
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)) => "a JSON array",
            _ => $"a JSON object ({type.Name})",
        };
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    /// <summary>The result of a method's task, as JSON.</summary>
    private static async Task<JsonElement> AwaitResultAsync<T>(Task task) => JsonSerializer.SerializeToElement(await (Task<T>)task, RemoteJson.Options);

    /// <summary>A callable method, with what each call needs worked out once: its arguments, and how to await its result as JSON.</summary>
    private sealed record RemoteMethod(
        string Name,
        MethodInfo Method,
        ParameterInfo[] Arguments,
        int ParameterCount,
        Func<Task, Task<JsonElement>>? AwaitResult,
        CommandTelemetry Telemetry)
    {
        public int Required { get; } = Arguments.Count(p => !p.HasDefaultValue);
    }
}
