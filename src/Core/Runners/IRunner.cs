namespace EventSourcing;

/// <summary>
/// Runs an <see cref="EventSystem"/>: constructs its applications, connects followers to leaders, and
/// hands out the applications (or proxies to them). The same code drives every runner.
/// </summary>
public interface IRunner : IAsyncDisposable
{
    EventSystem System { get; }

    bool IsStarted { get; }

    /// <summary>Starts the applications; followers first catch up with what their leaders already hold. Starting twice is an error.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops processing and closes the applications. Re-raises a processing error that stopped the runner.</summary>
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>The application that is (or implements) <typeparamref name="T"/>, e.g. <c>Get&lt;IDogSchool&gt;()</c>.</summary>
    T Get<T>()
        where T : class;

    /// <summary>
    /// Completes when every follower has processed everything its leaders had recorded when this was called,
    /// including what that processing recorded in turn. Re-raises a processing error.
    /// </summary>
    Task WaitForCatchUpAsync(CancellationToken cancellationToken = default);
}
