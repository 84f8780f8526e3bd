namespace EventSourcing.Testing.Runners.TestApps;

public sealed class OtherSource(IReadOnlyDictionary<string, string>? env = null) : NotebookApplication(env), IOtherSource;
