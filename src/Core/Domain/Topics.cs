using System.Collections.Concurrent;
using System.Reflection;

namespace EventSourcing;

/// <summary>
/// Maps types to the stable topic strings that are stored, and back.
/// A topic is <see cref="TopicAttribute"/>'s value, else <c>Namespace:Outer.Name</c>
/// (the shape of Python's <c>module:QualName</c>). Old names resolve through
/// <see cref="TopicAliasAttribute"/> or <see cref="RegisterAlias"/>.
/// </summary>
public static class Topics
{
    private static readonly ConcurrentDictionary<Type, string> TopicsByType = new();
    private static readonly ConcurrentDictionary<string, Type> TypesByTopic = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Assembly, bool> ScannedAssemblies = new();
    private static readonly Lock ScanLock = new();

    public static string Of<T>() => Of(typeof(T));

    public static string Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return TopicsByType.GetOrAdd(type, static t =>
        {
            var topic = DefaultTopic(t);
            Register(t, topic);
            return topic;
        });
    }

    /// <summary>Makes <paramref name="topic"/> resolve to <paramref name="type"/>; stored events under the old name keep loading.</summary>
    public static void RegisterAlias(string topic, Type type)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(type);
        Register(type, topic);
    }

    public static Type Resolve(string topic)
    {
        if (TryResolve(topic, out var type))
        {
            return type;
        }

        throw new DecodingException($"Unknown topic '{topic}': no loaded type has this topic or alias");
    }

    public static bool TryResolve(string topic, out Type type)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (TypesByTopic.TryGetValue(topic, out type!))
        {
            return true;
        }

        ScanLoadedAssemblies();
        return TypesByTopic.TryGetValue(topic, out type!);
    }

    private static void Register(Type type, string topic)
    {
        var existing = TypesByTopic.GetOrAdd(topic, type);
        if (existing != type)
        {
            throw new ProgrammingException(
                $"Topic '{topic}' is claimed by both {existing.FullName} and {type.FullName}");
        }
    }

    private static string DefaultTopic(Type type)
    {
        if (type.GetCustomAttribute<TopicAttribute>() is { } attribute)
        {
            return attribute.Topic;
        }

        var names = new Stack<string>();
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            names.Push(t.Name);
        }

        return $"{type.Namespace}:{string.Join('.', names)}";
    }

    private static void ScanLoadedAssemblies()
    {
        lock (ScanLock)
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (assembly.IsDynamic || !ScannedAssemblies.TryAdd(assembly, true))
                {
                    continue;
                }

                foreach (var type in SafeTypes(assembly))
                {
                    if (!typeof(DomainEvent).IsAssignableFrom(type) && !typeof(Aggregate).IsAssignableFrom(type))
                    {
                        continue;
                    }

                    if (type.IsAbstract && !type.IsSealed)
                    {
                        continue;
                    }

                    _ = Of(type);
                    foreach (var alias in type.GetCustomAttributes<TopicAliasAttribute>())
                    {
                        Register(type, alias.Topic);
                    }
                }
            }
        }
    }

    private static Type[] SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return [.. ex.Types.Where(t => t is not null).Cast<Type>()];
        }
    }
}
