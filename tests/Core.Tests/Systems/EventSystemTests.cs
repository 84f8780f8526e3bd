using EventSourcing.Examples.DogSchool;
using EventSourcing.Testing.Runners.TestApps;

namespace EventSourcing.Tests.Systems;

public class EventSystemTests
{
    [Fact]
    public void The_dog_school_system_has_two_nodes_and_one_edge()
    {
        var system = DogSchoolSystem.System;

        Assert.Equal(["DogSchool", "Counters"], system.Nodes);
        Assert.Equal([("DogSchool", "Counters")], system.Edges);
        Assert.Equal(["DogSchool"], system.Leaders);
        Assert.Equal(["DogSchool"], system.LeadersOnly);
        Assert.Equal(["Counters"], system.Followers);
        Assert.Empty(system.Processors);
        Assert.Empty(system.Singles);
        Assert.Equal(typeof(Counters), system.GetApplicationType("Counters"));
    }

    [Fact]
    public void A_richer_graph_has_its_leaders_followers_processors_and_singles()
    {
        var system = new EventSystem(
        [
            [typeof(Source), typeof(FirstTally)],
            [typeof(Source), typeof(SecondTally)],
            [typeof(FirstTally), typeof(Ping), typeof(Pong), typeof(Ping)],
            [typeof(Faulty)],
        ]);

        Assert.Equal(["Source", "FirstTally", "SecondTally", "Ping", "Pong", "Faulty"], system.Nodes);
        Assert.Equal(
            [("Source", "FirstTally"), ("Source", "SecondTally"), ("FirstTally", "Ping"), ("Ping", "Pong"), ("Pong", "Ping")],
            system.Edges);
        Assert.Equal(["FirstTally", "SecondTally"], system.Leads["Source"]);
        Assert.Equal(["Ping"], system.Leads["FirstTally"]);
        Assert.Equal(["Pong"], system.Leads["Ping"]);
        Assert.Equal(["Ping"], system.Leads["Pong"]);
        Assert.False(system.Leads.ContainsKey("SecondTally"));
        Assert.Equal(["FirstTally", "Pong"], system.Follows["Ping"]);
        Assert.Equal(["Source"], system.Follows["SecondTally"]);
        Assert.False(system.Follows.ContainsKey("Source"));
        Assert.Equal(["Source", "FirstTally", "Ping", "Pong"], system.Leaders);
        Assert.Equal(["Source"], system.LeadersOnly);
        Assert.Equal(["FirstTally", "SecondTally", "Ping", "Pong"], system.Followers);
        Assert.Equal(["FirstTally", "Ping", "Pong"], system.Processors);
        Assert.Equal(["Faulty"], system.Singles);
        Assert.Equal(["FirstTally", "Pong"], system.LeadersOf("Ping"));
        Assert.Empty(system.LeadersOf("Source"));
        Assert.Equal(["FirstTally", "SecondTally"], system.FollowersOf("Source"));
        Assert.Empty(system.FollowersOf("Faulty"));
    }

    [Fact]
    public void A_repeated_pipe_gives_each_edge_once()
    {
        var system = new EventSystem(
        [
            [typeof(Source), typeof(FirstTally)],
            [typeof(Source), typeof(FirstTally)],
            [typeof(Source), typeof(FirstTally), typeof(SecondTally)],
        ]);

        Assert.Equal(["Source", "FirstTally", "SecondTally"], system.Nodes);
        Assert.Equal([("Source", "FirstTally"), ("FirstTally", "SecondTally")], system.Edges);
        Assert.Equal(["FirstTally"], system.Leads["Source"]);
        Assert.Equal(["Source"], system.Follows["FirstTally"]);
    }

    [Fact]
    public void Cycles_are_allowed()
    {
        var system = new EventSystem([[typeof(Ping), typeof(Pong), typeof(Ping)]]);

        Assert.Equal(["Ping", "Pong"], system.Nodes);
        Assert.Equal([("Ping", "Pong"), ("Pong", "Ping")], system.Edges);
        Assert.Equal(["Ping", "Pong"], system.Leaders);
        Assert.Equal(["Ping", "Pong"], system.Followers);
        Assert.Equal(["Ping", "Pong"], system.Processors);
        Assert.Empty(system.LeadersOnly);
        Assert.Empty(system.Singles);
    }

    [Fact]
    public void A_follower_that_is_not_a_process_application_is_rejected_by_name()
    {
        var error = Assert.Throws<ProgrammingException>(() => new EventSystem([[typeof(FirstTally), typeof(Source)]]));

        Assert.Contains(typeof(Source).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ProcessApplication), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_that_is_not_an_application_is_rejected_by_name()
    {
        var error = Assert.Throws<ProgrammingException>(() => new EventSystem([[typeof(Source), typeof(Notebook)]]));

        Assert.Contains(typeof(Notebook).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_an_application_the_system_does_not_have_names_what_it_has()
    {
        var error = Assert.Throws<ProgrammingException>(() => DogSchoolSystem.System.GetApplicationType("Kennel"));

        Assert.Contains("Kennel", error.Message, StringComparison.Ordinal);
        Assert.Contains("DogSchool, Counters", error.Message, StringComparison.Ordinal);
    }
}
