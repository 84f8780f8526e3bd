using System.Reflection;

namespace EventSourcing;

/// <summary>The conventions shared by the server and client ends of remote calls.</summary>
public static class RemoteMethods
{
    /// <summary>The interfaces marked <see cref="RemoteAttribute"/> that <paramref name="type"/> is or implements.</summary>
    public static IReadOnlyList<Type> RemoteInterfacesOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        IEnumerable<Type> candidates = type.IsInterface ? [type, .. type.GetInterfaces()] : type.GetInterfaces();
        return [.. candidates.Where(i => i.IsDefined(typeof(RemoteAttribute), inherit: false)).Distinct()];
    }

    /// <summary>The name a method is called by: its own name without the <c>Async</c> suffix.</summary>
    public static string NameOf(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.Name.EndsWith("Async", StringComparison.Ordinal) && method.Name.Length > "Async".Length
            ? method.Name[..^"Async".Length]
            : method.Name;
    }

    /// <summary>The parameters a caller supplies: all but a trailing <see cref="CancellationToken"/>.</summary>
    public static ParameterInfo[] ArgumentsOf(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parameters = method.GetParameters();
        return parameters.Length > 0 && parameters[^1].ParameterType == typeof(CancellationToken) ? parameters[..^1] : parameters;
    }

    /// <summary>The type of the awaited result (null for <see cref="Task"/>), or a <see cref="ProgrammingException"/> when the method is not async.</summary>
    public static Type? ResultTypeOf(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var returnType = method.ReturnType;
        if (returnType == typeof(Task))
        {
            return null;
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return returnType.GetGenericArguments()[0];
        }

        throw new ProgrammingException(
            $"{method.DeclaringType?.Name}.{method.Name} is in a [Remote] interface but does not return Task or Task<T>");
    }
}
