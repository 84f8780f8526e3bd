using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Examples.TrickView;

/// <summary>The tutorial's third exercise: a materialized view of which dog knows which trick, following the dog school.</summary>
[SystemDefinition("TrickView")]
public static class TrickViewSystem
{
    public static EventSystem System { get; } = new([[typeof(DogSchool.DogSchool), typeof(TrickView)]]);
}
