namespace EventSourcing.Testing.Runners.TestApps;

public sealed class Synchronous(IReadOnlyDictionary<string, string>? env = null) : NotebookApplication(env), ISynchronousProbe
{
    public int CountEntries() => 0;
}
