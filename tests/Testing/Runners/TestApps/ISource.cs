namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Picks out <see cref="Source"/> among applications of the same kind.</summary>
[Remote]
public interface ISource : INotebooks;
