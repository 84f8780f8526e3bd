namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Two players following each other: a processing loop.</summary>
[SystemDefinition("RunnerTests.PingPong")]
public static class PingPongSystem
{
    public static EventSystem System { get; } = new([[typeof(Ping), typeof(Pong), typeof(Ping)]]);
}
