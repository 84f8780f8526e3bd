namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>A leader followed by a policy that fails on poison.</summary>
[SystemDefinition("RunnerTests.Faulty")]
public static class FaultySystem
{
    public static EventSystem System { get; } = new([[typeof(Source), typeof(Faulty)]]);
}
