namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Two leaders, one follower.</summary>
[SystemDefinition("RunnerTests.TwoSources")]
public static class TwoSourcesSystem
{
    public static EventSystem System { get; } = new([[typeof(Source), typeof(FirstTally)], [typeof(OtherSource), typeof(FirstTally)]]);
}
