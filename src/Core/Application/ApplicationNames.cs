using System.Reflection;

namespace EventSourcing;

public static class ApplicationNames
{
    /// <summary>An application class's name: its <see cref="ApplicationNameAttribute"/>, else the class name.</summary>
    public static string Of(Type applicationType)
    {
        ArgumentNullException.ThrowIfNull(applicationType);
        return applicationType.GetCustomAttribute<ApplicationNameAttribute>()?.Name ?? applicationType.Name;
    }
}
