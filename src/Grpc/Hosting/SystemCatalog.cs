using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EventSourcing.Grpc.Hosting;

/// <summary>
/// Finds a system definition for a node or runner: by the name of a <see cref="SystemDefinitionAttribute"/>
/// (<c>DogSchool</c>) in the given assemblies (<c>--assembly PATH</c>), the loaded ones and those beside the program;
/// or as <c>path/to/Assembly.dll:Namespace.Type</c> naming a static class with a public static
/// <c>EventSystem System</c> property.
/// </summary>
public static class SystemCatalog
{
    private const string CoreAssemblyName = "EventSourcing.Core";

    /// <summary>
    /// The system named by <paramref name="spec"/>, with the name it goes by, looking first in
    /// <paramref name="assemblies"/> (paths of assemblies that define systems).
    /// </summary>
    public static (string Name, EventSystem System) Find(string spec, IReadOnlyCollection<string>? assemblies = null)
    {
        var (name, type) = Definition(spec, assemblies);
        return (name, SystemOf(type));
    }

    /// <summary>
    /// The name the system of <paramref name="spec"/> goes by, as <see cref="Find"/> gives it, without building the
    /// system: for <c>path/to/Assembly.dll:Namespace.Type</c> the type's [SystemDefinition] name (or its class name),
    /// for a name the name itself. A name is looked up only when <paramref name="assemblies"/> are given.
    /// </summary>
    public static string NameOf(string spec, IReadOnlyCollection<string>? assemblies = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        return AssemblyAndType(spec) is not null || assemblies is { Count: > 0 } ? Definition(spec, assemblies).Name : spec;
    }

    /// <summary>For <c>path/to/Assembly.dll:Namespace.Type</c>, the assembly's path and the type's name; null for a system's name.</summary>
    public static (string Path, string Type)? AssemblyAndType(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var separator = spec.LastIndexOf(':');
        return separator > 0 && spec[..separator].EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? (spec[..separator], spec[(separator + 1)..])
            : null;
    }

    /// <summary>The [SystemDefinition] class that holds <paramref name="system"/>, among the loaded assemblies and those beside the program, or null.</summary>
    public static Type? DefinitionOf(EventSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        foreach (var type in Definitions().Values)
        {
            var property = type.GetProperty("System", BindingFlags.Public | BindingFlags.Static);
            if (property?.GetMethod is { } getter && TryGet(getter) is { } defined && ReferenceEquals(defined, system))
            {
                return type;
            }
        }

        return null;

        // A definition that cannot be built is not the one holding this system (it would have been built already).
        static object? TryGet(MethodInfo getter)
        {
            try
            {
                return getter.Invoke(null, null);
            }
            catch (TargetInvocationException)
            {
                return null;
            }
        }
    }

    /// <summary>Every [SystemDefinition] in the loaded assemblies and in those beside the program that reference the core.</summary>
    public static IReadOnlyDictionary<string, Type> Definitions()
    {
        LoadCandidateAssemblies();
        var definitions = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(ReferencesCore))
        {
            foreach (var type in LoadableTypes(assembly))
            {
                if (type.GetCustomAttribute<SystemDefinitionAttribute>() is { } definition && !definitions.TryAdd(definition.Name, type) && definitions[definition.Name] != type)
                {
                    throw new ProgrammingException(
                        $"Two systems are named {definition.Name}: {definitions[definition.Name].FullName} and {type.FullName}");
                }
            }
        }

        return definitions;
    }

    /// <summary>The definition's class named by <paramref name="spec"/>, with the name its system goes by.</summary>
    private static (string Name, Type Type) Definition(string spec, IReadOnlyCollection<string>? assemblies)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (AssemblyAndType(spec) is var (assemblyPath, typeName))
        {
            var assembly = Load(assemblyPath);
            var defined = assembly.GetType(typeName, throwOnError: false)
                ?? throw new ConfigurationException($"{assembly.Location} has no type {typeName}");
            return (defined.GetCustomAttribute<SystemDefinitionAttribute>()?.Name ?? defined.Name, defined);
        }

        foreach (var path in assemblies ?? [])
        {
            Load(path);
        }

        var definitions = Definitions();
        if (definitions.TryGetValue(spec, out var type))
        {
            return (spec, type);
        }

        var given = assemblies is { Count: > 0 } ? ", " + string.Join(", ", assemblies.Select(Path.GetFullPath)) : string.Empty;
        var known = definitions.Count == 0 ? "none were found" : "found: " + string.Join(", ", definitions.Keys.Order(StringComparer.Ordinal));
        throw new ConfigurationException(
            $"No system named '{spec}' (looked in the assemblies in {AppContext.BaseDirectory}{given}; {known}); "
            + "name a [SystemDefinition], give the assembly that defines it with --assembly PATH, or give path/to/Assembly.dll:Namespace.Type");
    }

    private static Assembly Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ConfigurationException($"System assembly {fullPath} does not exist");
        }

        try
        {
            // An assembly of that name already loaded (the examples beside the program, say) is the one to use: a
            // second copy from another path could not be loaded beside it.
            var name = AssemblyName.GetAssemblyName(fullPath).Name;
            return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && a.GetName().Name == name)
                ?? Assembly.LoadFrom(fullPath);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            throw new ConfigurationException($"System assembly {fullPath} cannot be loaded: {ex.Message}", ex);
        }
    }

    /// <summary>The definition's system; what building it throws comes out as a <see cref="ConfigurationException"/> naming the definition.</summary>
    private static EventSystem SystemOf(Type type)
    {
        var property = type.GetProperty("System", BindingFlags.Public | BindingFlags.Static);
        object? value;
        try
        {
            value = property?.GetValue(null);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is { } cause)
        {
            // A static property's initializer failing surfaces as a TypeInitializationException around the cause.
            var reason = cause is TypeInitializationException { InnerException: { } inner } ? inner : cause;
            throw new ConfigurationException($"The system {type.FullName} could not be built: {reason.Message}", reason);
        }

        return value as EventSystem
            ?? throw new ConfigurationException($"{type.FullName} has no public static EventSystem System property");
    }

    private static void LoadCandidateAssemblies()
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!loaded.Contains(name) && FileReferencesCore(file))
            {
                try
                {
                    Assembly.Load(AssemblyName.GetAssemblyName(file));
                }
                catch (Exception ex) when (ex is FileLoadException or BadImageFormatException or FileNotFoundException)
                {
                    // Not loadable in this process (another runtime's assembly): it cannot define a system we can run.
                }
            }
        }
    }

    private static bool FileReferencesCore(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return false;
            }

            var metadata = pe.GetMetadataReader();
            return metadata.AssemblyReferences.Any(h => metadata.GetString(metadata.GetAssemblyReference(h).Name) == CoreAssemblyName);
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static bool ReferencesCore(Assembly assembly)
        => !assembly.IsDynamic && assembly.GetReferencedAssemblies().Any(r => r.Name == CoreAssemblyName);

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
