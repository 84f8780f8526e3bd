namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Picks out <see cref="Pong"/> among applications of the same kind.</summary>
[Remote]
public interface IPong : IRallyPlayer;
