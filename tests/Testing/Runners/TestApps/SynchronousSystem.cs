namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>An application whose [Remote] interface has a method that is not async.</summary>
[SystemDefinition("RunnerTests.Synchronous")]
public static class SynchronousSystem
{
    public static EventSystem System { get; } = new([[typeof(Synchronous)]]);
}
