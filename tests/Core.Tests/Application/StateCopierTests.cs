namespace EventSourcing.Tests.Applications;

public class StateCopierTests
{
    [Fact]
    public void A_copy_has_every_field_of_the_aggregate_and_its_bases_and_its_changes_do_not_reach_the_original()
    {
        var kennel = Kennel.Open("north");
        kennel.Admit("Rex", "sit", "fetch");
        kennel.Admit("Fido", "roll over");
        kennel.CollectEvents();

        var copy = StateCopier.Copy(kennel);
        copy.Admit("Max");
        copy.Teach("Rex", "play dead");
        copy.Retag("quiet");

        Assert.Equal((kennel.Id, kennel.CreatedOn, "north"), (copy.Id, copy.CreatedOn, copy.Name));
        Assert.Equal((3, 5), (kennel.Version, copy.Version));
        Assert.Equal(["Rex", "Fido"], kennel.Dogs.Select(d => d.Name));
        Assert.Equal(["sit", "fetch"], kennel.Dogs[0].Tricks);
        Assert.Equal(["Rex", "Fido", "Max"], copy.Dogs.Select(d => d.Name));
        Assert.Equal(["sit", "fetch", "play dead"], copy.Dogs[0].Tricks);
        Assert.Equal("Rex", kennel.ByName["Rex"].Name);
        Assert.Equal(2, kennel.ByName.Count);
        Assert.Equal(3, copy.ByName.Count);
        Assert.Equal(["sit", "fetch"], kennel.Tricks[0].Names);
        Assert.Equal(["sit", "fetch", "play dead"], copy.Tricks[0].Names);
        Assert.Equal("loud", kennel.Tag);
        Assert.Equal("quiet", copy.Tag);
        Assert.Empty(kennel.PendingEvents);
        Assert.Equal(2, copy.PendingEvents.Count);
    }

    [Fact]
    public void Objects_reached_twice_are_copied_once_and_cycles_are_kept()
    {
        var kennel = Kennel.Open("north");
        kennel.Admit("Rex", "sit");

        var copy = StateCopier.Copy(kennel);

        Assert.NotSame(kennel.Dogs[0], copy.Dogs[0]);
        Assert.Same(copy.Dogs[0], copy.ByName["Rex"]);
        Assert.Same(copy, copy.Dogs[0].Kennel);
        Assert.Same(copy.Dogs[0].Tricks, copy.Tricks[0].Names);
    }

    [Fact]
    public void A_set_and_a_dictionary_keyed_by_objects_of_their_own_identity_still_find_the_copied_keys()
    {
        var kennel = Kennel.Open("north");
        kennel.Admit("Rex", "sit");
        kennel.Admit("Fido");

        var copy = StateCopier.Copy(kennel);

        Assert.All(copy.Dogs, dog => Assert.Contains(dog, copy.Vaccinated));
        Assert.All(copy.Dogs, dog => Assert.Equal(dog.Name, copy.Owners[dog]));
        Assert.DoesNotContain(kennel.Dogs[0], copy.Vaccinated);
    }

    [Fact]
    public void Values_held_as_objects_are_copied_too()
    {
        var kennel = Kennel.Open("north");
        kennel.Admit("Rex", "sit");

        var copy = StateCopier.Copy(kennel);
        ((Leash)copy.Gear).Marks.Add("chewed");

        Assert.Empty(((Leash)kennel.Gear).Marks);
        Assert.Equal(["chewed"], ((Leash)copy.Gear).Marks);
    }

    [Fact]
    public void An_aggregate_holding_a_resource_cannot_be_copied_and_the_error_names_it()
    {
        var kennel = Kennel.Open("north");
        kennel.RaiseAlarm();

        var error = Assert.Throws<NotSupportedException>(() => StateCopier.Copy(kennel));

        Assert.Contains(nameof(CancellationTokenSource), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handler_the_aggregate_registered_on_itself_acts_on_the_copy()
    {
        var kennel = Kennel.Open("north");

        var copy = StateCopier.Copy(kennel);
        copy.Rename("south");

        Assert.Equal("south", copy.Name);
        Assert.Equal("north", kennel.Name);
    }

    [Fact]
    public void An_aggregate_that_is_also_a_comparer_is_copied_not_shared()
    {
        var ranking = Ranking.Start();
        ranking.Rank("b");

        var copy = StateCopier.Copy(ranking);
        copy.Rank("a");

        Assert.NotSame(ranking, copy);
        Assert.Equal(["b"], ranking.Names);
        Assert.Equal(["a", "b"], copy.Names);
    }

    [Fact]
    public void A_chain_of_objects_too_deep_for_the_stack_is_refused_not_a_crash()
    {
        var chain = new LinkedList<int>(Enumerable.Range(0, 200_000));

        var error = Assert.Throws<NotSupportedException>(() => StateCopier.Copy(chain));

        Assert.Contains("too deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_collection_that_finds_mutable_keys_by_hash_code_and_cannot_be_rebuilt_is_refused()
    {
        var byDog = new System.Collections.Concurrent.ConcurrentDictionary<object, int>();
        byDog[new object()] = 1;

        var error = Assert.Throws<NotSupportedException>(() => StateCopier.Copy(byDog));

        Assert.Contains("hash code", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Sorts its names with itself: an aggregate may be its own comparer.</summary>
    private sealed class Ranking : Aggregate, IComparer<string>
    {
        private Ranking()
        {
            Sorted = new SortedSet<string>(this);
        }

        public SortedSet<string> Sorted { get; }

        public IReadOnlyList<string> Names => [.. Sorted];

        public static Ranking Start() => Create<Ranking>(Guid.NewGuid(), new Started());

        public void Rank(string name) => Trigger(new Ranked(name));

        public int Compare(string? x, string? y) => string.CompareOrdinal(x, y);

        protected override void Apply(DomainEvent domainEvent)
        {
            if (domainEvent is Ranked ranked)
            {
                Sorted.Add(ranked.Name);
            }
        }

        private sealed record Started : DomainEvent;

        private sealed record Ranked(string Name) : DomainEvent;
    }
}
