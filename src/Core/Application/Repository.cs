namespace EventSourcing;

/// <summary>
/// Rebuilds aggregates from their events: from the cache when it holds them (brought forward with any
/// newer events), else from the latest snapshot, else from the first event.
/// </summary>
public sealed class Repository
{
    private readonly IAggregateRecorder _events;
    private readonly IAggregateRecorder? _snapshots;
    private readonly Mapper _mapper;
    private readonly AggregateCache? _cache;
    private readonly bool _fastForward;
    private readonly AsyncLocal<Dictionary<Guid, Aggregate>?> _unitOfWork = new();

    internal Repository(IAggregateRecorder events, IAggregateRecorder? snapshots, Mapper mapper, int cacheSize, bool fastForward)
    {
        _events = events;
        _snapshots = snapshots;
        _mapper = mapper;
        _cache = cacheSize > 0 ? new AggregateCache(cacheSize) : null;
        _fastForward = fastForward;
    }

    /// <summary>The aggregate with <paramref name="id"/> at its latest version; see <see cref="GetAsync{TAggregate}(Guid, int?, CancellationToken)"/>.</summary>
    public Task<TAggregate> GetAsync<TAggregate>(Guid id, CancellationToken cancellationToken)
        where TAggregate : Aggregate
        => GetAsync<TAggregate>(id, null, cancellationToken);

    /// <summary>
    /// The aggregate with <paramref name="id"/>, at its latest version or at <paramref name="version"/>.
    /// Each call returns a new object. Throws <see cref="AggregateNotFoundException"/> when there is none.
    /// </summary>
    public async Task<TAggregate> GetAsync<TAggregate>(Guid id, int? version = null, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate
    {
        if (version is null && _unitOfWork.Value is { } pending && pending.TryGetValue(id, out var inBatch))
        {
            return inBatch as TAggregate ?? throw WrongType<TAggregate>(id, inBatch.GetType());
        }

        if (version is { } v && v < 1)
        {
            throw new AggregateNotFoundException(id, version);
        }

        Aggregate? aggregate = null;
        var fromCache = false;
        if (version is null && _cache is not null && _cache.TryCopy(id, out var cached))
        {
            if (cached is not TAggregate)
            {
                throw WrongType<TAggregate>(id, cached.GetType());
            }

            aggregate = cached;
            fromCache = true;
            if (!_fastForward)
            {
                return (TAggregate)aggregate;
            }
        }

        aggregate ??= await LoadSnapshotAsync(id, version, cancellationToken);
        var events = await _events.SelectEventsAsync(id, gt: aggregate?.Version, lte: version, cancellationToken: cancellationToken);
        if (aggregate is null && events.Count == 0)
        {
            throw new AggregateNotFoundException(id, version);
        }

        aggregate ??= AggregateFactory.New(typeof(TAggregate));
        if (aggregate is not TAggregate typed)
        {
            throw WrongType<TAggregate>(id, aggregate.GetType());
        }

        // The events that bring a cached aggregate forward bring the cache's own forward too; no others are kept.
        var replayed = fromCache ? new DomainEvent[events.Count] : null;
        for (var i = 0; i < events.Count; i++)
        {
            var domainEvent = _mapper.ToDomainEvent(events[i]);
            aggregate.Replay(domainEvent);
            replayed?[i] = domainEvent;
        }

        if (version is not null && aggregate.Version != version)
        {
            throw new AggregateNotFoundException(id, version);
        }

        // The cache already holds this state unless newer events were applied to it.
        if (version is null && !fromCache)
        {
            Remember(aggregate);
        }
        else if (replayed is { Length: > 0 })
        {
            Saved(aggregate, replayed);
        }

        return typed;
    }

    /// <summary>Like <see cref="GetAsync{TAggregate}(Guid, CancellationToken)"/>, but null when the aggregate does not exist.</summary>
    public Task<TAggregate?> FindAsync<TAggregate>(Guid id, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate
        => FindAsync<TAggregate>(id, null, cancellationToken);

    /// <summary>Like <see cref="GetAsync{TAggregate}(Guid, int?, CancellationToken)"/>, but null when the aggregate does not exist (at that version).</summary>
    public async Task<TAggregate?> FindAsync<TAggregate>(Guid id, int? version, CancellationToken cancellationToken = default)
        where TAggregate : Aggregate
    {
        try
        {
            return await GetAsync<TAggregate>(id, version, cancellationToken);
        }
        catch (AggregateNotFoundException)
        {
            return null;
        }
    }

    /// <summary>True when the aggregate has at least one stored event.</summary>
    public async Task<bool> ContainsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (_unitOfWork.Value is { } pending && pending.ContainsKey(id))
        {
            return true;
        }

        var events = await _events.SelectEventsAsync(id, limit: 1, cancellationToken: cancellationToken);
        return events.Count > 0;
    }

    /// <summary>Puts a copy of the aggregate in the cache; one that cannot be copied is not cached (and never fails the caller).</summary>
    internal void Remember(Aggregate aggregate)
    {
        if (_cache is null)
        {
            return;
        }

        Aggregate copy;
        try
        {
            copy = StateCopier.Copy(aggregate);
        }
        catch (Exception)
        {
            // Caching is an optimization, and the save has committed: this aggregate is read from the store instead.
            // (NotSupportedException for what cannot be copied; anything else a rebuilt dictionary's keys may throw.)
            _cache.Evict(aggregate.Id);
            return;
        }

        _cache.Put(copy);
    }

    /// <summary>
    /// After <paramref name="aggregate"/> was saved with <paramref name="events"/> (its own, in order), or brought
    /// forward with them from the store: applies them to the cached aggregate when it is at the version before them,
    /// else caches a copy of <paramref name="aggregate"/>.
    /// </summary>
    internal void Saved(Aggregate aggregate, IReadOnlyList<DomainEvent> events)
    {
        if (_cache is not null && !_cache.TryAdvance(aggregate.Id, events))
        {
            Remember(aggregate);
        }
    }

    internal void Forget(Guid id) => _cache?.Evict(id);

    /// <summary>
    /// Within the current async flow, makes <see cref="GetAsync{TAggregate}"/> return the aggregates of an
    /// unsaved batch, so a policy sees what earlier events of the same batch did.
    /// </summary>
    internal IDisposable BeginUnitOfWork(Dictionary<Guid, Aggregate> aggregates)
    {
        var previous = _unitOfWork.Value;
        _unitOfWork.Value = aggregates;
        return new Restore(() => _unitOfWork.Value = previous);
    }

    private async Task<Aggregate?> LoadSnapshotAsync(Guid id, int? version, CancellationToken cancellationToken)
    {
        if (_snapshots is null)
        {
            return null;
        }

        var snapshots = await _snapshots.SelectEventsAsync(id, lte: version, desc: true, limit: 1, cancellationToken: cancellationToken);
        if (snapshots.Count == 0)
        {
            return null;
        }

        var snapshot = snapshots[0];
        var aggregate = AggregateState.Deserialize(_mapper.DecodeToJson(snapshot.State), Topics.Resolve(snapshot.Topic));
        aggregate.RestoreIdentity(id);
        return aggregate;
    }

    private static ProgrammingException WrongType<TAggregate>(Guid id, Type actual)
        => new($"Aggregate {id} is a {actual.Name}, not a {typeof(TAggregate).Name}");

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
