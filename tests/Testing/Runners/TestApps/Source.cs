namespace EventSourcing.Testing.Runners.TestApps;

public sealed class Source(IReadOnlyDictionary<string, string>? env = null) : NotebookApplication(env), ISource, IUnmarked
{
    public Task<string> DescribeAsync(CancellationToken cancellationToken = default) => Task.FromResult(Name);
}
