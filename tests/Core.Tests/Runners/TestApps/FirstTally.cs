namespace EventSourcing.Tests.Runners.TestApps;

public sealed class FirstTally(IReadOnlyDictionary<string, string>? env = null) : TallyApplication(env), IFirstTally;
