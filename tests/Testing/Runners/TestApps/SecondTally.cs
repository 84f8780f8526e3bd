namespace EventSourcing.Testing.Runners.TestApps;

public sealed class SecondTally(IReadOnlyDictionary<string, string>? env = null) : TallyApplication(env), ISecondTally;
