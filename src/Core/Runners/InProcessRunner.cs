using System.Runtime.ExceptionServices;

namespace EventSourcing;

/// <summary>The part of the single- and multi-threaded runners that constructs applications and pulls notifications in-process.</summary>
public abstract class InProcessRunner : IRunner
{
    /// <summary>How many notifications a follower reads and records per transaction.</summary>
    public const int BatchSize = 500;

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
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException($"{GetType().Name} was already started");
        }

        foreach (var name in System.Nodes)
        {
            _apps[name] = Construct(System.GetApplicationType(name));
        }

        foreach (var (leader, follower) in System.Edges)
        {
            var followerApp = (ProcessApplication)_apps[follower];
            var position = await followerApp.Recorder.MaxTrackingIdAsync(leader, cancellationToken);
            var leaderApp = _apps[leader];
            var known = await leaderApp.Log.MaxNotificationIdAsync(cancellationToken);
            _edges[(leader, follower)] = new Edge(leaderApp, followerApp, position, known);
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
                if (edge.Position < await edge.Leader.Log.MaxNotificationIdAsync(cancellationToken))
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

    /// <summary>Reads and processes one batch of the leader's new notifications. Returns false when there was nothing new.</summary>
    protected static async Task<bool> PullAsync(Edge edge, CancellationToken cancellationToken)
    {
        var known = Math.Max(edge.Leader.Signal.MaxNotificationId, edge.KnownAtStart);
        if (edge.Position >= known)
        {
            return false;
        }

        var notifications = await edge.Leader.Log.SelectAsync(edge.Position + 1, BatchSize, known, edge.Follower.FollowTopics, cancellationToken);
        if (notifications.Count > 0)
        {
            await edge.Follower.ProcessAsync(edge.Leader.Name, notifications, edge.Leader.Mapper, cancellationToken);
            edge.Position = notifications[^1].Id;
        }

        if (notifications.Count < BatchSize)
        {
            // Everything up to `known` that the follower wants has been read; the rest was filtered out.
            edge.Position = known;
        }

        return true;
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

    private Application Construct(Type type)
    {
        var withEnv = type.GetConstructor([typeof(IReadOnlyDictionary<string, string>)]);
        if (withEnv is not null)
        {
            return (Application)withEnv.Invoke([_env]);
        }

        if (_env is { Count: > 0 })
        {
            throw new ProgrammingException($"{type.Name} needs a constructor taking IReadOnlyDictionary<string, string>? env to receive the runner's env");
        }

        return (Application)(Activator.CreateInstance(type)
            ?? throw new ProgrammingException($"Could not construct {type.Name}"));
    }

    /// <summary>A leader-follower pair and how far the follower has read.</summary>
    protected sealed class Edge(Application leader, ProcessApplication follower, long position, long knownAtStart)
    {
        private long _position = position;

        public Application Leader { get; } = leader;

        public ProcessApplication Follower { get; } = follower;

        public long KnownAtStart { get; } = knownAtStart;

        public long Position
        {
            get => Interlocked.Read(ref _position);
            set => Interlocked.Exchange(ref _position, value);
        }
    }
}
