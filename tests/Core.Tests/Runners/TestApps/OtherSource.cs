namespace EventSourcing.Tests.Runners.TestApps;

public sealed class OtherSource(IReadOnlyDictionary<string, string>? env = null) : NotebookApplication(env), IOtherSource;
