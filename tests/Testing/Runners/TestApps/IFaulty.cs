namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Picks out <see cref="Faulty"/> among applications of the same kind.</summary>
[Remote]
public interface IFaulty : ITally;
