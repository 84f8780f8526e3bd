namespace EventSourcing.Examples.DogSchool;

/// <summary>The tutorial's system: Counters follows DogSchool.</summary>
[SystemDefinition("DogSchool")]
public static class DogSchoolSystem
{
    public static EventSystem System { get; } = new([[typeof(DogSchool), typeof(Counters)]]);
}
