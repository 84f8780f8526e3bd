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
        kennel.Alarm = new CancellationTokenSource();

        var error = Assert.Throws<NotSupportedException>(() => StateCopier.Copy(kennel));

        Assert.Contains(nameof(CancellationTokenSource), error.Message, StringComparison.Ordinal);
    }
}
