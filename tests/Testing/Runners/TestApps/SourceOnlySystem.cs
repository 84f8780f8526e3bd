namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>A leader alone.</summary>
[SystemDefinition("RunnerTests.SourceOnly")]
public static class SourceOnlySystem
{
    public static EventSystem System { get; } = new([[typeof(Source)]]);
}
