namespace EventSourcing;

/// <summary>
/// Fixes the stored topic of an event or aggregate type, so the C# type can be renamed or moved
/// without orphaning what is stored. Without it, the topic is <c>Namespace:Outer.Name</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TopicAttribute(string topic) : Attribute
{
    public string Topic { get; } = topic;
}

/// <summary>An older topic that still resolves to this type (for events stored before a rename).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class TopicAliasAttribute(string topic) : Attribute
{
    public string Topic { get; } = topic;
}
