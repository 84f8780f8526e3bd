namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>One leader, two followers.</summary>
[SystemDefinition("RunnerTests.TwoTallies")]
public static class TwoTalliesSystem
{
    public static EventSystem System { get; } = new([[typeof(Source), typeof(FirstTally)], [typeof(Source), typeof(SecondTally)]]);
}
