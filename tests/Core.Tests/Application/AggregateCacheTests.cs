namespace EventSourcing.Tests.Applications;

public class AggregateCacheTests
{
    private static readonly Dictionary<string, string> Popo = new() { ["PERSISTENCE_MODULE"] = "popo" };

    [Fact]
    public async Task A_part_of_a_saved_event_that_the_caller_changes_afterwards_does_not_reach_the_cache()
    {
        await using var app = new Kennels(Popo);
        var kennel = Kennel.Open("north");
        await app.SaveAsync(kennel);
        var got = await app.Repository.GetAsync<Kennel>(kennel.Id);
        got.Fence("oak", "pine");
        await app.SaveAsync(got);

        got.Posts.Add("never saved");
        var again = await app.Repository.GetAsync<Kennel>(kennel.Id);

        Assert.Equal(["oak", "pine"], again.Posts);
        Assert.Equal(2, again.Version);
    }

    [Fact]
    public async Task After_a_save_the_cache_gives_what_the_events_make_as_a_replay_from_the_store_does()
    {
        await using var cached = new Kennels(Popo);
        var kennel = Kennel.Open("north");
        await cached.SaveAsync(kennel);
        var got = await cached.Repository.GetAsync<Kennel>(kennel.Id);
        got.Retag("changed without an event");
        got.Admit("Rex", "sit");
        await cached.SaveAsync(got);

        var fromCache = await cached.Repository.GetAsync<Kennel>(kennel.Id);
        var replayed = AggregateFactory.New<Kennel>();
        foreach (var stored in await cached.Recorder.SelectEventsAsync(kennel.Id))
        {
            replayed.Replay(cached.Mapper.ToDomainEvent(stored));
        }

        Assert.Equal((replayed.Version, replayed.Tag), (fromCache.Version, fromCache.Tag));
        Assert.Equal(["Rex"], fromCache.Dogs.Select(d => d.Name));
        Assert.Equal(["sit"], fromCache.Dogs[0].Tricks);
    }

    [Fact]
    public async Task Saves_from_callers_holding_older_copies_keep_the_cache_at_the_latest_version()
    {
        await using var app = new Kennels(Popo);
        var kennel = Kennel.Open("north");
        await app.SaveAsync(kennel);
        var first = await app.Repository.GetAsync<Kennel>(kennel.Id);
        var second = await app.Repository.GetAsync<Kennel>(kennel.Id);

        first.Admit("Rex");
        await app.SaveAsync(first);
        second.Admit("Fido");
        await Assert.ThrowsAsync<ConcurrencyException>(() => app.SaveAsync(second));
        var latest = await app.Repository.GetAsync<Kennel>(kennel.Id);
        latest.Admit("Max");
        await app.SaveAsync(latest);

        var got = await app.Repository.GetAsync<Kennel>(kennel.Id);
        Assert.Equal(3, got.Version);
        Assert.Equal(["Rex", "Max"], got.Dogs.Select(d => d.Name));
    }

    [Fact]
    public async Task An_aggregate_the_cache_cannot_copy_is_saved_and_read_from_the_store_each_time()
    {
        await using var app = new Kennels(Popo);
        var kennel = Kennel.Open("north");
        kennel.RaiseAlarm();
        kennel.Admit("Rex");

        await app.SaveAsync(kennel);
        var got = await app.Repository.GetAsync<Kennel>(kennel.Id);
        got.Admit("Fido");
        await app.SaveAsync(got);
        var again = await app.Repository.GetAsync<Kennel>(kennel.Id);

        Assert.Equal(["Rex", "Fido"], again.Dogs.Select(d => d.Name));
        Assert.Equal(4, again.Version);
        Assert.NotNull(again.Alarm);
        Assert.NotSame(got.Alarm, again.Alarm);
    }

    private sealed class Kennels(IReadOnlyDictionary<string, string> env) : Application(env);
}
