namespace EventSourcing.Testing.Runners.TestApps;

public sealed class FirstTally(IReadOnlyDictionary<string, string>? env = null) : TallyApplication(env), IFirstTally;
