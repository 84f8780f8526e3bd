namespace EventSourcing.Benchmarks;

/// <summary>The settings of fresh, empty stores for one measurement; disposing removes them.</summary>
public sealed class BackendScope(IReadOnlyDictionary<string, string> settings, Func<ValueTask> cleanUp) : IAsyncDisposable
{
    public IReadOnlyDictionary<string, string> Settings { get; } = settings;

    /// <summary>The settings plus <paramref name="more"/>.</summary>
    public Dictionary<string, string> With(IReadOnlyDictionary<string, string> more)
    {
        var env = new Dictionary<string, string>(Settings, StringComparer.Ordinal);
        foreach (var (key, value) in more)
        {
            env[key] = value;
        }

        return env;
    }

    public ValueTask DisposeAsync() => cleanUp();
}
