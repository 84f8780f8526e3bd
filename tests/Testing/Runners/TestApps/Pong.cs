namespace EventSourcing.Testing.Runners.TestApps;

public sealed class Pong(IReadOnlyDictionary<string, string>? env = null) : RallyPlayer(env), IPong;
