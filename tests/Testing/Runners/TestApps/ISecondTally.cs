namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Picks out <see cref="SecondTally"/> among applications of the same kind.</summary>
[Remote]
public interface ISecondTally : ITally;
