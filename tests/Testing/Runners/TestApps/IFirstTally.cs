namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Picks out <see cref="FirstTally"/> among applications of the same kind.</summary>
[Remote]
public interface IFirstTally : ITally;
