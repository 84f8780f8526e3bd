using System.Runtime.ExceptionServices;

namespace EventSourcing;

/// <summary>
/// The part of the single- and multi-threaded runners that constructs applications and connects each follower to
/// each of its leaders with a <see cref="LeaderPipe"/> over the leader's <see cref="LocalNotificationSource"/>.
/// </summary>
public abstract class InProcessRunner : IRunner
{
    /// <summary>How many notifications a follower reads and records per transaction.</summary>
    public const int BatchSize = LocalNotificationSource.BatchSize;

    private readonly IReadOnlyDictionary<string, string>? _env;
    private readonly Dictionary<string, Application> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Leader, string Follower), Edge> _edges = [];
    private readonly NotificationSignal _progress = new();
    private long _progressCount;
    private ExceptionDispatchInfo? _error;
    private int _state;

    protected InProcessRunner(EventSystem system, IReadOnlyDictionary<string, string>? env = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        _env = env;
    }

    public EventSystem System { get; }

    public bool IsStarted => Volatile.Read(ref _state) == 1;

    /// <summary>The error that stopped processing, if any.</summary>
    public Exception? Error => _error?.SourceException;

    protected IReadOnlyDictionary<string, Application> Applications => _apps;

    protected IEnumerable<Edge> Edges => _edges.Values;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // The rules of remote calls hold on every runner, so a system that starts here starts as processes too.
        foreach (var name in System.Nodes)
        {
            RemoteMethods.MethodsOf(System.GetApplicationType(name));
        }

        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException($"{GetType().Name} was already started");
        }

        foreach (var name in System.Nodes)
        {
            try
            {
                _apps[name] = System.CreateApplication(name, _env);
            }
            catch
            {
                foreach (var constructed in _apps.Values)
                {
                    await constructed.DisposeAsync();
                }

                _apps.Clear();
                throw;
            }
        }

        foreach (var (leader, follower) in System.Edges)
        {
            var source = new LocalNotificationSource(_apps[leader]);
            // Default options: any processing error stops the pipe, and the runner re-raises it.
            var pipe = new LeaderPipe((ProcessApplication)_apps[follower], source);
            await pipe.ReadTrackingAsync(cancellationToken);
            pipe.Progressed += ReportProgress;
            _edges[(leader, follower)] = new Edge(_apps[leader], source, pipe);
        }

        await OnStartedAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }

        try
        {
            await OnStoppingAsync(cancellationToken);
        }
        finally
        {
            foreach (var app in _apps.Values)
            {
                await app.DisposeAsync();
            }
        }

        _error?.Throw();
    }

    public T Get<T>()
        where T : class
    {
        if (_state == 0)
        {
            throw new InvalidOperationException($"{GetType().Name} is not started: call StartAsync first");
        }

        if (typeof(T).IsInterface)
        {
            RemoteMethods.CheckInterface(typeof(T));
        }

        var matches = _apps.Values.OfType<T>().ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"The system has no application that is a {typeof(T).Name} (it has {string.Join(", ", System.Nodes)})"),
            _ => throw new ArgumentException($"Several applications are a {typeof(T).Name}: {string.Join(", ", matches.Cast<Application>().Select(a => a.Name))}"),
        };
    }

    public async Task WaitForCatchUpAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var seen = Interlocked.Read(ref _progressCount);
            _error?.Throw();
            var published = PublishedSum();
            var caughtUp = true;
            foreach (var edge in _edges.Values)
            {
                // A position past the leader's maximum is no catching up: the leader's log was rolled back, and the
                // pipe is about to say so.
                if (edge.Pipe.Position != await edge.Leader.Log.MaxNotificationIdAsync(cancellationToken))
                {
                    caughtUp = false;
                    break;
                }
            }

            // The edges are checked one after another, so in a loop or a fan-in a follower can record new
            // events for an edge already checked. A follower publishes before it moves its position, so when
            // nothing was published during the check, the check saw one consistent state.
            if (caughtUp && published == PublishedSum())
            {
                return;
            }

            if (caughtUp)
            {
                continue;
            }

            await _progress.WaitBeyondAsync(seen, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception) when (_error is not null)
        {
            // Already reported through StopAsync or WaitForCatchUpAsync; disposing must not throw it again.
        }

        GC.SuppressFinalize(this);
    }

    protected abstract Task OnStartedAsync(CancellationToken cancellationToken);

    protected abstract Task OnStoppingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads and processes the leader's new notifications, a batch at a time, until the follower has all of them.
    /// A fault of the store (<see cref="LeaderPipe.IsFault"/>) is retried with backoff until it passes.
    /// </summary>
    protected static async Task CatchUpAsync(Edge edge, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                var position = edge.Pipe.Position;
                var batch = await edge.Source.ReadAsync(position + 1, edge.Pipe.Follower.FollowTopics, cancellationToken);
                if (batch.Position <= position)
                {
                    return;
                }

                // Processed, or a new leader log accepted: either way, read on from the pipe's position.
                await edge.Pipe.ProcessAsync(batch, cancellationToken);
                backoff.Reset();
            }
            catch (Exception ex) when (LeaderPipe.IsFault(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(backoff.Next(), cancellationToken);
            }
        }
    }

    private long PublishedSum()
    {
        var sum = 0L;
        foreach (var app in _apps.Values)
        {
            sum += app.Signal.MaxNotificationId;
        }

        return sum;
    }

    protected void ReportProgress() => _progress.Publish(Interlocked.Increment(ref _progressCount));

    /// <summary>Records the first error and stops processing; waiting callers get it re-raised.</summary>
    protected void Fail(Exception error)
    {
        Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(error), null);
        ReportProgress();
    }

    protected bool HasFailed => _error is not null;

    /// <summary>A leader, its log as a source, and the pipe of one of its followers.</summary>
    protected sealed record Edge(Application Leader, LocalNotificationSource Source, LeaderPipe Pipe);
}
