using static EventSourcing.Tests.Persistence.RecorderTestData;

namespace EventSourcing.Tests.Persistence;

/// <summary>The contract every aggregate recorder meets. One subclass per backend.</summary>
public abstract class AggregateRecorderTests : IAsyncLifetime
{
    /// <summary>A new, empty recorder, isolated from every other test.</summary>
    protected abstract Task<IAggregateRecorder> CreateAggregateRecorderAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Selects_the_inserted_events_of_an_aggregate_in_version_order()
    {
        var recorder = await CreateAggregateRecorderAsync();
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();
        await recorder.InsertEventsAsync([Event(id, 1), Event(other, 1)]);
        await recorder.InsertEventsAsync([Event(id, 2, TopicB), Event(id, 3)]);

        var events = await recorder.SelectEventsAsync(id);

        Assert.Equal([1, 2, 3], events.Select(e => e.OriginatorVersion));
        Assert.All(events, e => Assert.Equal(id, e.OriginatorId));
        Assert.Equal(TopicB, events[1].Topic);
        Assert.Equal(Event(id, 2).State, events[1].State);
    }

    [Fact]
    public async Task Keeps_state_bytes_exactly()
    {
        var recorder = await CreateAggregateRecorderAsync();
        var id = Guid.NewGuid();
        var state = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[1000]).ToArray();
        await recorder.InsertEventsAsync([new StoredEvent(id, 1, TopicA, state)]);

        var stored = Assert.Single(await recorder.SelectEventsAsync(id));

        Assert.Equal(state, stored.State);
    }

    [Fact]
    public async Task Rejects_a_second_event_at_the_same_version()
    {
        var recorder = await CreateAggregateRecorderAsync();
        var id = Guid.NewGuid();
        await recorder.InsertEventsAsync([Event(id, 1, state: "first")]);

        await Assert.ThrowsAsync<ConcurrencyException>(() => recorder.InsertEventsAsync([Event(id, 1, state: "second")]));

        var stored = Assert.Single(await recorder.SelectEventsAsync(id));
        Assert.Equal(Event(id, 1, state: "first").State, stored.State);
    }

    [Fact]
    public async Task Rejects_a_batch_holding_two_events_at_the_same_version_and_writes_none()
    {
        var recorder = await CreateAggregateRecorderAsync();
        var id = Guid.NewGuid();

        await Assert.ThrowsAnyAsync<IntegrityException>(() => recorder.InsertEventsAsync([Event(id, 1), Event(id, 2), Event(id, 2)]));

        Assert.Empty(await recorder.SelectEventsAsync(id));
    }

    [Fact]
    public async Task A_batch_with_one_conflict_writes_none_of_its_events()
    {
        var recorder = await CreateAggregateRecorderAsync();
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();
        await recorder.InsertEventsAsync([Event(id, 1)]);

        await Assert.ThrowsAnyAsync<IntegrityException>(() => recorder.InsertEventsAsync([Event(other, 1), Event(id, 2), Event(id, 1)]));

        Assert.Empty(await recorder.SelectEventsAsync(other));
        Assert.Single(await recorder.SelectEventsAsync(id));
    }

    [Fact]
    public async Task Inserting_no_events_is_valid()
    {
        var recorder = await CreateAggregateRecorderAsync();

        var ids = await recorder.InsertEventsAsync([]);

        Assert.Empty(ids);
    }

    [Theory]
    [InlineData(null, null, false, null, new[] { 1, 2, 3, 4, 5 })]
    [InlineData(2, null, false, null, new[] { 3, 4, 5 })]
    [InlineData(null, 3, false, null, new[] { 1, 2, 3 })]
    [InlineData(1, 4, false, null, new[] { 2, 3, 4 })]
    [InlineData(null, null, true, null, new[] { 5, 4, 3, 2, 1 })]
    [InlineData(null, null, true, 2, new[] { 5, 4 })]
    [InlineData(null, null, false, 2, new[] { 1, 2 })]
    [InlineData(1, 4, true, 2, new[] { 4, 3 })]
    [InlineData(null, 4, true, 1, new[] { 4 })]
    [InlineData(5, null, false, null, new int[0])]
    [InlineData(null, null, false, 0, new int[0])]
    public async Task Selects_by_version_range_order_and_limit(int? gt, int? lte, bool desc, int? limit, int[] expected)
    {
        var recorder = await CreateAggregateRecorderAsync();
        var id = Guid.NewGuid();
        await recorder.InsertEventsAsync(Events(id, 1, 5));
        await recorder.InsertEventsAsync(Events(Guid.NewGuid(), 1, 5));

        var events = await recorder.SelectEventsAsync(id, gt, lte, desc, limit);

        Assert.Equal(expected, events.Select(e => e.OriginatorVersion));
    }

    [Fact]
    public async Task Selects_nothing_for_an_unknown_aggregate()
    {
        var recorder = await CreateAggregateRecorderAsync();

        Assert.Empty(await recorder.SelectEventsAsync(Guid.NewGuid()));
    }
}
