namespace EventSourcing;

/// <summary>
/// A system of applications joined by pipes (Python's <c>System</c>): in <c>[[DogSchool, Counters]]</c>
/// Counters follows DogSchool. Cycles are allowed. Every follower must be a <see cref="ProcessApplication"/>.
/// </summary>
public sealed class EventSystem
{
    private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);

    public EventSystem(IEnumerable<IEnumerable<Type>> pipes)
    {
        ArgumentNullException.ThrowIfNull(pipes);
        var nodes = new List<string>();
        var edges = new List<(string Leader, string Follower)>();
        foreach (var pipe in pipes)
        {
            ArgumentNullException.ThrowIfNull(pipe, nameof(pipes));
            string? previous = null;
            foreach (var type in pipe)
            {
                ArgumentNullException.ThrowIfNull(type, nameof(pipes));
                if (!typeof(Application).IsAssignableFrom(type) || type.IsAbstract)
                {
                    throw new ProgrammingException($"{type.FullName} is not a concrete application class");
                }

                var name = ApplicationNames.Of(type);
                if (_types.TryGetValue(name, out var known) && known != type)
                {
                    throw new ProgrammingException($"Two application classes are named {name}: {known.FullName} and {type.FullName}");
                }

                if (_types.TryAdd(name, type))
                {
                    nodes.Add(name);
                }

                if (previous is not null)
                {
                    if (!typeof(ProcessApplication).IsAssignableFrom(type))
                    {
                        throw new ProgrammingException(
                            $"{type.FullName} follows {previous} but is not a process application (derive it from ProcessApplication)");
                    }

                    if (!edges.Contains((previous, name)))
                    {
                        edges.Add((previous, name));
                    }
                }

                previous = name;
            }
        }

        Nodes = nodes;
        Edges = edges;
        Leads = Group(nodes, edges.Select(e => (e.Leader, e.Follower)));
        Follows = Group(nodes, edges.Select(e => (e.Follower, e.Leader)));
        Leaders = [.. nodes.Where(Leads.ContainsKey)];
        Followers = [.. nodes.Where(Follows.ContainsKey)];
        LeadersOnly = [.. Leaders.Where(n => !Follows.ContainsKey(n))];
        Processors = [.. Followers.Where(Leads.ContainsKey)];
        Singles = [.. nodes.Where(n => !Leads.ContainsKey(n) && !Follows.ContainsKey(n))];
    }

    /// <summary>Application names, in order of first appearance.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>(leader, follower) pairs, each once, in order of first appearance.</summary>
    public IReadOnlyList<(string Leader, string Follower)> Edges { get; }

    /// <summary>For each leader, its followers.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Leads { get; }

    /// <summary>For each follower, its leaders.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Follows { get; }

    public IReadOnlyList<string> Leaders { get; }

    public IReadOnlyList<string> Followers { get; }

    /// <summary>Leaders that follow nobody.</summary>
    public IReadOnlyList<string> LeadersOnly { get; }

    /// <summary>Followers that also lead.</summary>
    public IReadOnlyList<string> Processors { get; }

    /// <summary>Applications that neither lead nor follow.</summary>
    public IReadOnlyList<string> Singles { get; }

    public Type GetApplicationType(string name)
        => _types.TryGetValue(name, out var type)
            ? type
            : throw new ProgrammingException($"The system has no application named '{name}' (it has {string.Join(", ", Nodes)})");

    public bool Contains(string name) => _types.ContainsKey(name);

    /// <summary>
    /// Constructs the application named <paramref name="name"/>, handing it <paramref name="env"/> through its
    /// <c>(IReadOnlyDictionary&lt;string, string&gt;? env)</c> constructor. What the constructor throws (a
    /// <see cref="ConfigurationException"/> naming a missing setting, say) comes out as it was thrown.
    /// </summary>
    public Application CreateApplication(string name, IReadOnlyDictionary<string, string>? env = null)
    {
        var type = GetApplicationType(name);
        var withEnv = type.GetConstructor([typeof(IReadOnlyDictionary<string, string>)]);
        if (withEnv is null && env is { Count: > 0 })
        {
            throw new ProgrammingException($"{type.Name} needs a constructor taking IReadOnlyDictionary<string, string>? env to receive the runner's env");
        }

        try
        {
            return (Application)(withEnv is not null
                ? withEnv.Invoke([env])
                : Activator.CreateInstance(type) ?? throw new ProgrammingException($"Could not construct {type.Name}"));
        }
        catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    public IReadOnlyList<string> LeadersOf(string follower)
        => Follows.TryGetValue(follower, out var leaders) ? leaders : [];

    public IReadOnlyList<string> FollowersOf(string leader)
        => Leads.TryGetValue(leader, out var followers) ? followers : [];

    private static Dictionary<string, IReadOnlyList<string>> Group(List<string> order, IEnumerable<(string Key, string Value)> pairs)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(value);
        }

        return order.Where(groups.ContainsKey).ToDictionary(n => n, n => (IReadOnlyList<string>)groups[n], StringComparer.Ordinal);
    }
}
