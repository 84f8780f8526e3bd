namespace EventSourcing;

/// <summary>Names an application other than by its class name (the name prefixes its settings and its tables).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ApplicationNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
