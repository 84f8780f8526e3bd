using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Tests.Domain;

public class AggregateTests
{
    [Fact]
    public void A_new_aggregate_is_at_version_1_with_its_creation_time_in_UTC()
    {
        var before = DateTimeOffset.UtcNow;
        var dog = Dog.Register("Billy");
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(Dog.CreateId("Billy"), dog.Id);
        Assert.Equal(1, dog.Version);
        Assert.Equal("Billy", dog.Name);
        Assert.Equal(TimeSpan.Zero, dog.CreatedOn.Offset);
        Assert.InRange(dog.CreatedOn, before, after);
        Assert.Equal(dog.CreatedOn, dog.ModifiedOn);
    }

    [Fact]
    public void Each_command_adds_one_version_and_moves_the_modified_time()
    {
        var dog = Dog.Register("Billy");
        var createdOn = dog.CreatedOn;

        dog.AddTrick("roll over");
        dog.AddTrick("fetch ball");

        Assert.Equal(3, dog.Version);
        Assert.Equal(createdOn, dog.CreatedOn);
        Assert.True(dog.ModifiedOn >= createdOn);
        Assert.Equal(TimeSpan.Zero, dog.ModifiedOn.Offset);
        Assert.Equal(dog.PendingEvents[^1].Timestamp, dog.ModifiedOn);
        Assert.Equal(["roll over", "fetch ball"], dog.Tricks);
    }

    [Fact]
    public void Triggered_events_are_pending_until_collected()
    {
        var dog = Dog.Register("Milly");
        dog.AddTrick("play dead");

        Assert.Collection(
            dog.PendingEvents,
            e => Assert.Equal((dog.Id, 1, "Milly"), (e.OriginatorId, e.OriginatorVersion, Assert.IsType<Dog.Registered>(e).Name)),
            e => Assert.Equal((dog.Id, 2, "play dead"), (e.OriginatorId, e.OriginatorVersion, Assert.IsType<Dog.TrickAdded>(e).Trick)));

        var collected = dog.CollectEvents();

        Assert.Equal(2, collected.Count);
        Assert.Empty(dog.PendingEvents);
        Assert.Empty(dog.CollectEvents());
        Assert.Equal(2, dog.Version);
    }

    [Fact]
    public void Replaying_the_collected_events_rebuilds_the_same_state()
    {
        var original = Dog.Register("Scrappy");
        original.AddTrick("roll over");
        var events = original.CollectEvents();

        var replayed = AggregateFactory.New<Dog>();
        foreach (var domainEvent in events)
        {
            replayed.Replay(domainEvent);
        }

        Assert.Equal((original.Id, original.Version, original.CreatedOn, original.ModifiedOn), (replayed.Id, replayed.Version, replayed.CreatedOn, replayed.ModifiedOn));
        Assert.Equal(["roll over"], replayed.Tricks);
        Assert.Empty(replayed.PendingEvents);
    }

    [Fact]
    public void Replaying_an_event_of_another_aggregate_is_an_error()
    {
        var billy = Dog.Register("Billy");
        var milly = Dog.Register("Milly");
        milly.AddTrick("roll over");

        var error = Assert.Throws<EventSequenceException>(() => billy.Replay(milly.PendingEvents[1]));

        Assert.Contains(milly.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(1, billy.Version);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Replaying_an_event_out_of_sequence_is_an_error(int version)
    {
        var dog = Dog.Register("Billy");
        var trick = new Dog.TrickAdded("sit") { OriginatorId = dog.Id, OriginatorVersion = version, Timestamp = DateTimeOffset.UtcNow };

        var error = Assert.Throws<EventSequenceException>(() => dog.Replay(trick));

        Assert.Contains("expected 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, dog.Version);
        Assert.Empty(dog.Tricks);
    }
}
