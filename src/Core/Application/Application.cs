namespace EventSourcing;

/// <summary>
/// An event-sourced application: command methods get aggregates from the <see cref="Repository"/>,
/// call their methods, and <see cref="SaveAsync(Aggregate, CancellationToken)"/> them. Every saved event
/// gets a notification id in the application's <see cref="Log"/>, which followers read.
/// </summary>
/// <remarks>
/// Settings come from <see cref="Environment"/> (see <see cref="ApplicationEnvironment"/>):
/// <c>PERSISTENCE_MODULE</c> and the backend's keys, <c>COMPRESSOR_TOPIC</c>, <c>CIPHER_TOPIC</c>,
/// <c>CIPHER_KEY</c>, <c>IS_SNAPSHOTTING_ENABLED</c>, <c>SNAPSHOTTING_INTERVAL</c>,
/// <c>AGGREGATE_CACHE_MAXSIZE</c> (default 1000; 0 turns the cache off) and <c>AGGREGATE_CACHE_FASTFORWARD</c>.
/// </remarks>
public abstract class Application : IAsyncDisposable
{
    private readonly Lock _listenersLock = new();

    // Replaced, never changed, when a listener is added: every commit reads it without a lock or a copy.
    private Func<IReadOnlyList<Recording>, CancellationToken, Task>[] _listeners = [];
    private readonly PersistenceModule _persistence;
    private readonly IAggregateRecorder? _snapshots;
    private int _closed;

    protected Application(IReadOnlyDictionary<string, string>? env = null)
    {
        Name = ApplicationNames.Of(GetType());
        Environment = new ApplicationEnvironment(Name, env);
        Mapper = MapperFactory.FromEnvironment(Environment);
        _persistence = PersistenceModule.FromEnvironment(Environment);
        Recorder = this is ProcessApplication ? _persistence.CreateProcessRecorder() : _persistence.CreateApplicationRecorder();
        IsSnapshottingEnabled = Environment.GetBool("IS_SNAPSHOTTING_ENABLED", false);
        SnapshottingInterval = Environment.GetInt("SNAPSHOTTING_INTERVAL", 0, min: 0);
        _snapshots = IsSnapshottingEnabled ? _persistence.CreateSnapshotRecorder() : null;
        Repository = new Repository(
            Recorder,
            _snapshots,
            Mapper,
            Environment.GetInt("AGGREGATE_CACHE_MAXSIZE", 1000, min: 0),
            Environment.GetBool("AGGREGATE_CACHE_FASTFORWARD", true));
        Log = new NotificationLog(Recorder, Signal);
    }

    /// <summary>The class name, unless <see cref="ApplicationNameAttribute"/> says otherwise.</summary>
    public string Name { get; }

    public ApplicationEnvironment Environment { get; }

    public Mapper Mapper { get; }

    public IApplicationRecorder Recorder { get; }

    public Repository Repository { get; }

    public NotificationLog Log { get; }

    /// <summary>Published after each commit with the greatest new notification id.</summary>
    public NotificationSignal Signal { get; } = new();

    /// <summary>The backend's short name (popo, sqlite, postgres).</summary>
    public string PersistenceName => _persistence.Name;

    /// <summary>Where the data lives, for status output.</summary>
    public string PersistenceDescription => _persistence.Description;

    public bool IsSnapshottingEnabled { get; }

    /// <summary>Take a snapshot automatically each time an aggregate's version passes a multiple of this (0: never).</summary>
    public int SnapshottingInterval { get; }

    public Task<IReadOnlyList<Recording>> SaveAsync(Aggregate aggregate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        return SaveAsync([aggregate], cancellationToken);
    }

    /// <summary>
    /// Records the pending events of the aggregates atomically. Returns after commit, with the
    /// notification id of each event. A version conflict raises <see cref="ConcurrencyException"/>
    /// and records nothing. The events get <see cref="EventMetadata.ForCommand"/>: the correlation id given with
    /// <see cref="Correlation.Begin"/> (a new one otherwise) and the trace context of the current activity.
    /// </summary>
    public async Task<IReadOnlyList<Recording>> SaveAsync(IReadOnlyList<Aggregate> aggregates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        // Versions before the save matter only to snapshotting.
        var versionsBefore = _snapshots is null || SnapshottingInterval <= 0 ? null : new int[aggregates.Count];
        // Each aggregate's collected events, and all of them in order (one aggregate, as most commands save: its list).
        var eventsOf = new IReadOnlyList<DomainEvent>[aggregates.Count];
        for (var i = 0; i < aggregates.Count; i++)
        {
            var aggregate = aggregates[i];
            ArgumentNullException.ThrowIfNull(aggregate, nameof(aggregates));
            versionsBefore?[i] = aggregate.Version - aggregate.PendingEvents.Count;
            eventsOf[i] = aggregate.CollectEvents();
        }

        IReadOnlyList<DomainEvent> domainEvents = eventsOf.Length == 1 ? eventsOf[0] : [.. eventsOf.SelectMany(e => e)];

        // One command's events share one metadata: its correlation id and the trace context current now.
        var metadata = domainEvents.Count == 0 ? null : Mapper.EncodeMetadata(EventMetadata.ForCommand());
        var storedEvents = new StoredEvent[domainEvents.Count];
        for (var i = 0; i < storedEvents.Length; i++)
        {
            storedEvents[i] = Mapper.ToStoredEvent(domainEvents[i], metadata);
        }

        IReadOnlyList<long> ids;
        try
        {
            ids = await Recorder.InsertEventsAsync(storedEvents, cancellationToken);
        }
        catch (IntegrityException)
        {
            foreach (var aggregate in aggregates)
            {
                Repository.Forget(aggregate.Id);
            }

            throw;
        }

        var recordings = ToRecordings(domainEvents, ids);
        for (var i = 0; i < aggregates.Count; i++)
        {
            Repository.Saved(aggregates[i], eventsOf[i]);
        }

        await AfterCommitAsync(recordings, storedEvents, cancellationToken);
        if (versionsBefore is not null)
        {
            await TakeDueSnapshotsAsync(aggregates, versionsBefore, cancellationToken);
        }

        return recordings;
    }

    /// <summary>
    /// Publishes on <see cref="Signal"/> the commits any process makes to this application's log, so that what
    /// another node of this application on a shared database (or a script) records reaches this process's subscribers
    /// and followers too, within about a second. Runs until cancelled; returns at once where no other process can
    /// commit (in memory). This process's own saves are published as they commit, watched or not.
    /// </summary>
    public async Task WatchCommitsAsync(CancellationToken cancellationToken)
    {
        if (Recorder is ICommitWatcher watcher)
        {
            await watcher.WatchCommitsAsync(async (max, ct) => Signal.Publish(max ?? await Log.MaxNotificationIdAsync(ct)), cancellationToken);
        }
    }

    /// <summary>Stores a snapshot of the aggregate at its latest version.</summary>
    public Task TakeSnapshotAsync<TAggregate>(Guid id, CancellationToken cancellationToken)
        where TAggregate : Aggregate
        => TakeSnapshotAsync<TAggregate>(id, null, cancellationToken);

    /// <summary>Stores a snapshot of the aggregate at its latest (or the given) version.</summary>
    public async Task TakeSnapshotAsync<TAggregate>(Guid id, int? version = null, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate
    {
        if (_snapshots is null)
        {
            throw new ProgrammingException($"Application {Name}: snapshotting is not enabled (set IS_SNAPSHOTTING_ENABLED=true)");
        }

        var aggregate = await Repository.GetAsync<TAggregate>(id, version, cancellationToken);
        await StoreSnapshotAsync(aggregate, cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="listener"/> after every commit with the new recordings. Runners use this
    /// to process followers in step with a leader.
    /// </summary>
    public void AddRecordingListener(Func<IReadOnlyList<Recording>, CancellationToken, Task> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_listenersLock)
        {
            _listeners = [.. _listeners, listener];
        }
    }

    /// <summary>Releases connections. Further calls fail.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            if (Recorder is IAsyncDisposable recorder)
            {
                await recorder.DisposeAsync();
            }

            await _persistence.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    internal static IReadOnlyList<Recording> ToRecordings(IReadOnlyList<DomainEvent> domainEvents, IReadOnlyList<long> ids)
    {
        var recordings = new Recording[domainEvents.Count];
        for (var i = 0; i < recordings.Length; i++)
        {
            recordings[i] = new Recording(domainEvents[i], i < ids.Count ? ids[i] : 0);
        }

        return recordings;
    }

    /// <summary>
    /// Wakes followers and runs the recording listeners, after a commit of <paramref name="storedEvents"/>, whose
    /// notification ids the store gave in <paramref name="recordings"/>.
    /// </summary>
    internal async Task AfterCommitAsync(IReadOnlyList<Recording> recordings, IReadOnlyList<StoredEvent> storedEvents, CancellationToken cancellationToken)
    {
        if (recordings.Count > 0)
        {
            if (Signal.KeepsRecorded && recordings.Count == storedEvents.Count && recordings[0].NotificationId > 0)
            {
                var recorded = new Notification[recordings.Count];
                for (var i = 0; i < recorded.Length; i++)
                {
                    var stored = storedEvents[i];
                    recorded[i] = new Notification(recordings[i].NotificationId, stored.OriginatorId, stored.OriginatorVersion, stored.Topic, stored.State, stored.Metadata);
                }

                Signal.Publish(recorded);
            }
            else
            {
                Signal.Publish(recordings[^1].NotificationId);
            }

            Diagnostics.Instruments.EventsWereRecorded(Name, recordings.Count);
        }

        foreach (var listener in Volatile.Read(ref _listeners))
        {
            await listener(recordings, cancellationToken);
        }
    }

    internal async Task TakeDueSnapshotsAsync(IReadOnlyList<Aggregate> aggregates, IReadOnlyList<int> versionsBefore, CancellationToken cancellationToken)
    {
        if (_snapshots is null || SnapshottingInterval <= 0)
        {
            return;
        }

        for (var i = 0; i < aggregates.Count; i++)
        {
            var aggregate = aggregates[i];
            if (aggregate.Version / SnapshottingInterval > versionsBefore[i] / SnapshottingInterval)
            {
                await StoreSnapshotAsync(aggregate, cancellationToken);
            }
        }
    }

    private async Task StoreSnapshotAsync(Aggregate aggregate, CancellationToken cancellationToken)
    {
        var state = Mapper.Encode(AggregateState.Serialize(aggregate));
        var snapshot = new StoredEvent(aggregate.Id, aggregate.Version, Topics.Of(aggregate.GetType()), state);
        try
        {
            await _snapshots!.InsertEventsAsync([snapshot], cancellationToken);
        }
        catch (IntegrityException)
        {
            // A snapshot at this version exists already: it holds the same state.
        }
    }
}
