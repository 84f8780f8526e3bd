namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Picks out <see cref="OtherSource"/> among applications of the same kind.</summary>
[Remote]
public interface IOtherSource : INotebooks;
