using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Integration.Tests.PoisonSystem;

/// <summary>DogSchool followed by <see cref="PickyCounters"/>; nodes load it as <c>path/to/EventSourcing.Integration.Tests.dll:EventSourcing.Integration.Tests.PoisonSystem.PoisonSystemDefinition</c>.</summary>
[SystemDefinition("Poison")]
public static class PoisonSystemDefinition
{
    public static EventSystem System { get; } = new([[typeof(DogSchool), typeof(PickyCounters)]]);

    public static string Reference => $"{typeof(PoisonSystemDefinition).Assembly.Location}:{typeof(PoisonSystemDefinition).FullName}";
}
