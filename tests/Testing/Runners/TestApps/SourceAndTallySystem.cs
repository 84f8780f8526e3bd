namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>One leader, one follower.</summary>
[SystemDefinition("RunnerTests.SourceAndTally")]
public static class SourceAndTallySystem
{
    public static EventSystem System { get; } = new([[typeof(Source), typeof(FirstTally)]]);
}
