using System.Reflection;

namespace EventSourcing;

/// <summary>
/// The rules of remote calls, shared by every runner (so that what works in one process works across processes too)
/// and by both ends of a call.
/// </summary>
public static class RemoteMethods
{
    /// <summary>
    /// The remotely callable methods of an application type by the name they are called by: every method of the
    /// [Remote] interfaces it implements. Raises <see cref="ProgrammingException"/>, naming the method, for one that
    /// does not return Task or Task&lt;T&gt; or whose name another method already has (overloads cannot be called by name).
    /// </summary>
    public static IReadOnlyDictionary<string, MethodInfo> MethodsOf(Type applicationType)
    {
        ArgumentNullException.ThrowIfNull(applicationType);
        var methods = new Dictionary<string, MethodInfo>(StringComparer.Ordinal);
        foreach (var remoteInterface in RemoteInterfacesOf(applicationType))
        {
            foreach (var method in remoteInterface.GetMethods())
            {
                ResultTypeOf(method);
                var name = NameOf(method);
                if (methods.TryGetValue(name, out var existing) && existing != method)
                {
                    throw new ProgrammingException(
                        $"{applicationType.Name} has two remotely callable methods named {name} ({existing.DeclaringType?.Name} and {remoteInterface.Name}); overloads cannot be called remotely");
                }

                methods[name] = method;
            }
        }

        return methods;
    }

    /// <summary>
    /// Checks that a runner may hand out <paramref name="requested"/> as an interface: it and the interfaces it extends
    /// are marked [Remote] (so that a proxy in another process can call every method) and their methods are async.
    /// An <see cref="ArgumentException"/> (or <see cref="ProgrammingException"/> for a method) names what is wrong.
    /// </summary>
    public static void CheckInterface(Type requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (!requested.IsInterface)
        {
            throw new ArgumentException($"{requested.Name} is not an interface", nameof(requested));
        }

        foreach (var candidate in (Type[])[requested, .. requested.GetInterfaces()])
        {
            if (!candidate.IsDefined(typeof(RemoteAttribute), inherit: false) && candidate.GetMethods().Length > 0)
            {
                throw new ArgumentException(
                    $"{requested.Name}{(candidate == requested ? string.Empty : $" extends {candidate.Name}, which")} is not marked [Remote]: "
                    + "mark it [Remote] (its methods returning Task or Task<T>) for runners to hand it out, in this process or another");
            }

            foreach (var method in candidate.GetMethods())
            {
                ResultTypeOf(method);
            }
        }
    }

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
            $"{method.DeclaringType?.Name}.{method.Name} is in a [Remote] interface but returns {returnType.Name}: remote methods return Task or Task<T>, "
            + "as every runner calls them the way a call from another process does");
    }
}
