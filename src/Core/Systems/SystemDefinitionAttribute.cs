namespace EventSourcing;

/// <summary>
/// Names a system so that nodes and runners can find it: put it on a static class with a public static
/// <c>EventSystem System</c> property, and refer to it by name (<c>--system DogSchool</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SystemDefinitionAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
