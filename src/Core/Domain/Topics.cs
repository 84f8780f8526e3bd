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
    private static readonly ConcurrentDictionary<Type, IReadOnlySet<string>> AllTopicsByType = new();
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

    /// <summary>
    /// Every topic that names <paramref name="type"/>: its own and its aliases (<see cref="TopicAliasAttribute"/> and
    /// <see cref="RegisterAlias"/>). Events stored under any of them are events of this type.
    /// </summary>
    public static IReadOnlySet<string> AllOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        _ = Of(type);
        foreach (var alias in type.GetCustomAttributes<TopicAliasAttribute>())
        {
            Register(type, alias.Topic);
        }

        return AllTopicsByType[type];
    }

    /// <summary>
    /// <paramref name="topics"/> with every other topic that names the same types, so that a filter by topic also
    /// selects events stored under an older name. A topic no loaded type has stays as it is.
    /// </summary>
    public static IReadOnlySet<string> WithAliases(IEnumerable<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            all.Add(topic);
            if (TryResolve(topic, out var type))
            {
                all.UnionWith(AllOf(type));
            }
        }

        return all;
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

        // Sets are replaced, never changed, so that readers need no lock.
        AllTopicsByType.AddOrUpdate(
            type,
            static (_, t) => new HashSet<string>(StringComparer.Ordinal) { t },
            static (_, known, t) => known.Contains(t) ? known : new HashSet<string>(known, StringComparer.Ordinal) { t },
            topic);
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
