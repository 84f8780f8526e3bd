using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EventSourcing;

/// <summary>
/// Finds a system definition for a node or runner: by the name of a <see cref="SystemDefinitionAttribute"/> in the
/// assemblies beside the program (<c>DogSchool</c>), or as <c>path/to/Assembly.dll:Namespace.Type</c> naming a static
/// class with a public static <c>EventSystem System</c> property.
/// </summary>
public static class SystemCatalog
{
    private const string CoreAssemblyName = "EventSourcing.Core";

    /// <summary>The system named by <paramref name="spec"/>, with the name it goes by.</summary>
    public static (string Name, EventSystem System) Find(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var separator = spec.LastIndexOf(':');
        if (separator > 0 && spec[..separator].EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return FromAssemblyFile(spec[..separator], spec[(separator + 1)..]);
        }

        var definitions = Definitions();
        if (definitions.TryGetValue(spec, out var type))
        {
            return (spec, SystemOf(type));
        }

        var known = definitions.Count == 0 ? "none were found" : "known: " + string.Join(", ", definitions.Keys.Order(StringComparer.Ordinal));
        throw new ConfigurationException(
            $"No system named '{spec}' ({known}); name a [SystemDefinition] or give path/to/Assembly.dll:Namespace.Type");
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

    private static (string Name, EventSystem System) FromAssemblyFile(string path, string typeName)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ConfigurationException($"System assembly {fullPath} does not exist");
        }

        var assembly = Assembly.LoadFrom(fullPath);
        var type = assembly.GetType(typeName, throwOnError: false)
            ?? throw new ConfigurationException($"{fullPath} has no type {typeName}");
        var name = type.GetCustomAttribute<SystemDefinitionAttribute>()?.Name ?? type.Name;
        return (name, SystemOf(type));
    }

    private static EventSystem SystemOf(Type type)
    {
        var property = type.GetProperty("System", BindingFlags.Public | BindingFlags.Static);
        if (property?.GetValue(null) is EventSystem system)
        {
            return system;
        }

        throw new ProgrammingException($"{type.FullName} has no public static EventSystem System property");
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
