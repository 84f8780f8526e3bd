using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Reflection;

namespace EventSourcing;

/// <summary>
/// An application that follows others: its policy turns their events into its own new events (or view
/// changes), recorded atomically with a tracking record of each processed notification, so each upstream
/// event is processed exactly once.
/// </summary>
/// <remarks>
/// Register a handler per event type with <see cref="On{TEvent}(Func{TEvent, ProcessingEvent, CancellationToken, Task})"/>
/// in the constructor; events without a handler are tracked and otherwise ignored. Or override
/// <see cref="PolicyAsync"/> to see every event.
/// </remarks>
public abstract partial class ProcessApplication : Application
{
    private readonly Dictionary<Type, Func<DomainEvent, ProcessingEvent, CancellationToken, Task>> _handlers = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Mapper> _leaderMappers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _processing = new(1, 1);

    // Per leader, the last notification whose tracking row this process recorded (under _processing). A batch that
    // starts after it is processed without first asking the store what is tracked: a notification another process
    // recorded meanwhile makes the insert of its tracking row fail, and the batch is then processed again without it.
    private readonly Dictionary<string, long> _recordedUpTo = new(StringComparer.Ordinal);
    private readonly bool _overridesPolicy;

    // Stands for "every topic" in the cache of FollowTopics, which is null until computed.
    private static readonly IReadOnlySet<string> AllTopics = new ReadOnlySet<string>(new HashSet<string>());
    private IReadOnlySet<string>? _followTopics;

    protected ProcessApplication(IReadOnlyDictionary<string, string>? env = null)
        : base(env)
    {
        var policy = GetType().GetMethod(nameof(PolicyAsync), BindingFlags.Instance | BindingFlags.NonPublic, [typeof(DomainEvent), typeof(ProcessingEvent), typeof(CancellationToken)]);
        _overridesPolicy = policy?.DeclaringType != typeof(ProcessApplication);
    }

    public new IProcessRecorder Recorder => (IProcessRecorder)base.Recorder;

    /// <summary>
    /// The topics this application needs from its leaders: those of its registered handlers and their aliases, or null
    /// (everything) when <see cref="PolicyAsync"/> is overridden or a handler is for a type that can have
    /// subtypes (their topics are not known in advance). Leaders send nothing else.
    /// </summary>
    /// <remarks>The set is sorted (ordinal) and computed once per set of handlers: runners read it for every batch.</remarks>
    public virtual IReadOnlyCollection<string>? FollowTopics
    {
        get
        {
            if (_overridesPolicy)
            {
                return null;
            }

            var followed = _followTopics;
            if (followed is null)
            {
                followed = _handlers.Keys.Any(t => !t.IsSealed)
                    ? AllTopics
                    : new ReadOnlySet<string>(new SortedSet<string>(_handlers.Keys.SelectMany(Topics.AllOf), StringComparer.Ordinal));
                _followTopics = followed;
            }

            return ReferenceEquals(followed, AllTopics) ? null : followed;
        }
    }

    /// <summary>Processes <typeparamref name="TEvent"/> (and subtypes without a handler of their own) with <paramref name="handler"/>.</summary>
    protected void On<TEvent>(Func<TEvent, ProcessingEvent, CancellationToken, Task> handler)
        where TEvent : DomainEvent
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(typeof(TEvent), (e, p, ct) => handler((TEvent)e, p, ct)))
        {
            throw new ProgrammingException($"{Name} already has a policy for {typeof(TEvent).Name}");
        }

        _followTopics = null;
    }

    protected void On<TEvent>(Action<TEvent, ProcessingEvent> handler)
        where TEvent : DomainEvent
    {
        ArgumentNullException.ThrowIfNull(handler);
        On<TEvent>((e, p, _) =>
        {
            handler(e, p);
            return Task.CompletedTask;
        });
    }

    /// <summary>Dispatches to the handler registered for the event's type (or nearest base type); does nothing when there is none.</summary>
    protected virtual Task PolicyAsync(DomainEvent domainEvent, ProcessingEvent processingEvent, CancellationToken cancellationToken)
    {
        for (var type = domainEvent.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            if (_handlers.TryGetValue(type, out var handler))
            {
                return handler(domainEvent, processingEvent, cancellationToken);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// How this application decodes <paramref name="leaderName"/>'s events: with the leader's settings as this
    /// application's environment gives them (<c>{LEADER}_CIPHER_KEY</c>, <c>{LEADER}_COMPRESSOR_TOPIC</c>, ...).
    /// Made once per leader.
    /// </summary>
    public Mapper LeaderMapper(string leaderName)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaderName);
        return _leaderMappers.GetOrAdd(leaderName, name => MapperFactory.FromEnvironment(Environment.For(name)));
    }

    /// <summary>
    /// Processes notifications of <paramref name="leaderName"/>, decoded with <see cref="LeaderMapper"/>, as
    /// <see cref="ProcessAsync(string, IReadOnlyList{Notification}, Mapper, CancellationToken)"/> does.
    /// </summary>
    public Task<IReadOnlyList<Recording>> ProcessAsync(
        string leaderName,
        IReadOnlyList<Notification> notifications,
        CancellationToken cancellationToken = default)
        => ProcessAsync(leaderName, notifications, LeaderMapper(leaderName), cancellationToken);

    /// <summary>
    /// Processes notifications of <paramref name="leaderName"/>, decoding them with the leader's
    /// <paramref name="leaderMapper"/>, and records the results and tracking rows in one transaction.
    /// Notifications already tracked are skipped. When a policy throws, the notifications before it are
    /// recorded and a <see cref="PolicyException"/> is raised; a store fault (<see cref="OperationalException"/>)
    /// is raised as it is, and nothing is recorded.
    /// </summary>
    public async Task<IReadOnlyList<Recording>> ProcessAsync(
        string leaderName,
        IReadOnlyList<Notification> notifications,
        Mapper leaderMapper,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaderName);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(leaderMapper);
        if (notifications.Count == 0)
        {
            return [];
        }

        await _processing.WaitAsync(cancellationToken);
        try
        {
            return await ProcessSerializedAsync(leaderName, notifications, leaderMapper, retryOnDuplicate: true, cancellationToken);
        }
        finally
        {
            _processing.Release();
        }
    }

    private async Task<IReadOnlyList<Recording>> ProcessSerializedAsync(
        string leaderName,
        IReadOnlyList<Notification> notifications,
        Mapper leaderMapper,
        bool retryOnDuplicate,
        CancellationToken cancellationToken)
    {
        var askedStore = !retryOnDuplicate || !FollowsWhatWasRecorded(leaderName, notifications);
        if (askedStore)
        {
            notifications = await WithoutTrackedAsync(leaderName, notifications, cancellationToken);
        }

        if (notifications.Count == 0)
        {
            return [];
        }

        var followed = FollowTopics;
        IReadOnlySet<string>? topics = followed is null ? null
            : ReferenceEquals(followed, _followTopics) ? _followTopics
            : new HashSet<string>(followed, StringComparer.Ordinal);
        var batch = new ProcessingBatch();
        PolicyException? failure = null;
        using (Repository.BeginUnitOfWork(batch.Aggregates))
        {
            foreach (var notification in notifications)
            {
                var tracking = new Tracking(leaderName, notification.Id);
                if (topics is not null && !topics.Contains(notification.Topic))
                {
                    batch.Tracking.Add(tracking);
                    continue;
                }

                var mark = batch.Mark();
                Activity? activity = null;
                try
                {
                    var domainEvent = leaderMapper.ToDomainEvent(notification);
                    var upstream = leaderMapper.DecodeMetadata(notification.Metadata);
                    activity = StartProcessing(leaderName, notification, upstream);
                    batch.Tracking.Add(tracking);
                    await PolicyAsync(domainEvent, new ProcessingEvent(batch, tracking, MetadataCausedBy(tracking, upstream, activity), upstream), cancellationToken);
                }
                // A store fault met by the policy (its repository's database gone) is not the policy's error: it
                // propagates as it is, nothing of the batch is recorded, and the batch can be tried again.
                catch (Exception ex) when (ex is not OperationalException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
                {
                    batch.RollBackTo(mark);
                    activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                    failure = new PolicyException(Name, leaderName, notification.Id, notification.Topic, ex);
                    break;
                }
                finally
                {
                    activity?.Dispose();
                }
            }
        }

        if (failure is not null && !askedStore)
        {
            // The policy may have failed on a notification another process has processed since (a policy that checks
            // its own state): nothing is recorded, and the batch goes again without what is tracked.
            return await ProcessSerializedAsync(leaderName, notifications, leaderMapper, retryOnDuplicate: false, cancellationToken);
        }

        IReadOnlyList<Recording> recordings = [];
        if (!batch.IsEmpty)
        {
            _recordedUpTo.Remove(leaderName);
            try
            {
                recordings = await RecordAsync(batch, cacheResults: failure is null, cancellationToken);
            }
            catch (IntegrityException) when (retryOnDuplicate)
            {
                if (!await AnyTrackedAsync(batch.Tracking, cancellationToken))
                {
                    throw;
                }

                // Someone else recorded some of these notifications first: they are done; process the rest afresh.
                return await ProcessSerializedAsync(leaderName, notifications, leaderMapper, retryOnDuplicate: false, cancellationToken);
            }

            if (batch.Tracking.Count > 0)
            {
                _recordedUpTo[leaderName] = batch.Tracking.Max(t => t.NotificationId);
            }
        }

        if (failure is not null)
        {
            throw failure;
        }

        return recordings;
    }

    private async Task<IReadOnlyList<Recording>> RecordAsync(ProcessingBatch batch, bool cacheResults, CancellationToken cancellationToken)
    {
        var storedEvents = new StoredEvent[batch.Events.Count];
        (EventMetadata? Metadata, byte[]? Bytes) encoded = default;
        for (var i = 0; i < storedEvents.Length; i++)
        {
            // The events collected for one notification share one metadata: encoded once.
            var metadata = batch.EventMetadata[i];
            if (!ReferenceEquals(metadata, encoded.Metadata))
            {
                encoded = (metadata, Mapper.EncodeMetadata(metadata));
            }

            storedEvents[i] = Mapper.ToStoredEvent(batch.Events[i], encoded.Bytes);
        }

        IReadOnlyList<long> ids;
        try
        {
            ids = await Recorder.InsertAsync(new RecordingBatch(storedEvents, batch.Tracking, batch.ViewChanges), cancellationToken);
        }
        catch
        {
            cacheResults = false;
            throw;
        }
        finally
        {
            var recorded = cacheResults ? batch.Events.ToLookup(e => e.OriginatorId) : null;
            foreach (var aggregate in batch.Aggregates.Values)
            {
                if (recorded is not null && aggregate.PendingEvents.Count == 0)
                {
                    Repository.Saved(aggregate, [.. recorded[aggregate.Id]]);
                }
                else
                {
                    Repository.Forget(aggregate.Id);
                }
            }
        }

        var recordings = ToRecordings(batch.Events, ids);
        await AfterCommitAsync(recordings, storedEvents, cancellationToken);
        if (cacheResults)
        {
            await TakeDueSnapshotsAsync([.. batch.Aggregates.Values], batch.VersionsBefore, cancellationToken);
        }

        return recordings;
    }

    /// <summary>
    /// Whether the notifications all come after the last one this process recorded: then only another process can have
    /// tracked some of them since, which the insert of their tracking rows finds (and a policy that fails makes the
    /// batch go again after asking), so the store need not be asked first.
    /// </summary>
    private bool FollowsWhatWasRecorded(string leaderName, IReadOnlyList<Notification> notifications)
        => _recordedUpTo.TryGetValue(leaderName, out var recordedUpTo) && notifications.All(n => n.Id > recordedUpTo);

    /// <summary>The notifications not yet tracked, as the store says.</summary>
    private async Task<IReadOnlyList<Notification>> WithoutTrackedAsync(string leaderName, IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
    {
        var maxTracked = await Recorder.MaxTrackingIdAsync(leaderName, cancellationToken);
        if (notifications[0].Id > maxTracked)
        {
            return notifications;
        }

        var untracked = new List<Notification>(notifications.Count);
        foreach (var notification in notifications)
        {
            if (notification.Id > maxTracked || !await Recorder.HasTrackingIdAsync(leaderName, notification.Id, cancellationToken))
            {
                untracked.Add(notification);
            }
        }

        return untracked;
    }

    private async Task<bool> AnyTrackedAsync(IReadOnlyList<Tracking> tracking, CancellationToken cancellationToken)
    {
        foreach (var t in tracking)
        {
            if (await Recorder.HasTrackingIdAsync(t.ApplicationName, t.NotificationId, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
