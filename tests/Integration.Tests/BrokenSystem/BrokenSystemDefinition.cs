using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Integration.Tests.BrokenSystem;

/// <summary>
/// A system definition that cannot be built: DogSchool, which is not a process application, is put to follow
/// Counters. Referred to as path/to/assembly.dll:Type only, so that looking systems up by name never builds it.
/// </summary>
public static class BrokenSystemDefinition
{
    public static EventSystem System { get; } = new([[typeof(Counters), typeof(DogSchool)]]);

    public static string Reference => $"{typeof(BrokenSystemDefinition).Assembly.Location}:{typeof(BrokenSystemDefinition).FullName}";
}
