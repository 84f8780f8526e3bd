namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>A leader whose commands write to and tag notebooks.</summary>
public abstract class NotebookApplication(IReadOnlyDictionary<string, string>? env) : Application(env), INotebooks
{
    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
        => Task.FromResult(Environment.Get(key));

    public Task<long> GetMaxNotificationIdAsync(CancellationToken cancellationToken = default)
        => Log.MaxNotificationIdAsync(cancellationToken);

    public Task WriteAsync(string notebook, string text, CancellationToken cancellationToken = default)
        => WriteManyAsync(notebook, [text], cancellationToken);

    /// <summary>Writes all the texts in one save.</summary>
    public async Task WriteManyAsync(string notebook, IEnumerable<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var book = await Repository.FindAsync<Notebook>(Notebook.CreateId(notebook), cancellationToken) ?? Notebook.Start(notebook);
        foreach (var text in texts)
        {
            book.Write(text);
        }

        await SaveAsync(book, cancellationToken);
    }

    public async Task WriteUnderOldTopicAsync(string notebook, string text, CancellationToken cancellationToken = default)
    {
        var book = await Repository.FindAsync<Notebook>(Notebook.CreateId(notebook), cancellationToken) ?? Notebook.Start(notebook);
        book.Write(text);
        var stored = book.CollectEvents()
            .Select(e => e is Notebook.Written ? Mapper.ToStoredEvent(e) with { Topic = Notebook.Written.OldTopic } : Mapper.ToStoredEvent(e))
            .ToArray();
        var ids = await Recorder.InsertEventsAsync(stored, cancellationToken);

        // Wakes followers as a save does (in this process: a recording made behind the application's back).
        Signal.Publish(ids[^1]);
    }

    public async Task TagAsync(string notebook, string tag, CancellationToken cancellationToken = default)
    {
        var book = await Repository.GetAsync<Notebook>(Notebook.CreateId(notebook), cancellationToken);
        book.Tag(tag);
        await SaveAsync(book, cancellationToken);
    }

    public Task<Notebook> GetNotebookAsync(string notebook, int? version = null, CancellationToken cancellationToken = default)
        => Repository.GetAsync<Notebook>(Notebook.CreateId(notebook), version, cancellationToken);
}
