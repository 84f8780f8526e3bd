namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>The commands of a <see cref="NotebookApplication"/>.</summary>
[Remote]
public interface INotebooks : IApplicationProbe
{
    Task WriteAsync(string notebook, string text, CancellationToken cancellationToken = default);

    /// <summary>Writes all the texts in one save.</summary>
    Task WriteManyAsync(string notebook, IEnumerable<string> texts, CancellationToken cancellationToken = default);

    Task TagAsync(string notebook, string tag, CancellationToken cancellationToken = default);

    /// <summary>Writes as an earlier version of the application did: the event stored under an older topic of its type.</summary>
    Task WriteUnderOldTopicAsync(string notebook, string text, CancellationToken cancellationToken = default);
}
