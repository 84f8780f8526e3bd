using EventSourcing.Testing.Runners.TestApps;

namespace EventSourcing.Testing.Runners;

/// <summary>
/// What every runner does with a system: one subclass per runner (and per backend where it matters). The tests use only
/// <see cref="IRunner"/> and the test applications' [Remote] interfaces, and their systems are [SystemDefinition]s, so that
/// they hold for applications in other processes as well as in this one.
/// </summary>
public abstract class RunnerTests
{
    /// <summary>
    /// A runner for <paramref name="system"/>. <paramref name="env"/> holds the test's own settings;
    /// merge the backend's settings into it. Within one test, runners must share storage.
    /// </summary>
    protected abstract IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env);

    /// <summary>
    /// True when a policy error is raised to the command whose events the policy processed (the command
    /// waits for followers); otherwise it surfaces from <see cref="IRunner.WaitForCatchUpAsync"/>.
    /// </summary>
    protected virtual bool RaisesProcessingErrorsFromCommands(IRunner runner) => runner is SingleThreadedRunner;

    [Fact]
    public async Task Every_application_gets_the_runners_env()
    {
        var env = new Dictionary<string, string>
        {
            ["RUNNER_TESTS_GREETING"] = "hello",
            ["SECONDTALLY_RUNNER_TESTS_GREETING"] = "hello, second",
        };
        await using var runner = CreateRunner(TwoTalliesSystem.System, env);
        await runner.StartAsync();

        Assert.Equal("hello", await runner.Get<ISource>().GetSettingAsync("RUNNER_TESTS_GREETING"));
        Assert.Equal("hello", await runner.Get<IFirstTally>().GetSettingAsync("RUNNER_TESTS_GREETING"));
        Assert.Equal("hello, second", await runner.Get<ISecondTally>().GetSettingAsync("RUNNER_TESTS_GREETING"));

        await runner.StopAsync();
    }

    [Fact]
    public async Task Get_refuses_an_interface_not_marked_Remote_and_says_to_mark_it()
    {
        await using var runner = CreateRunner(SourceOnlySystem.System, Empty);
        await runner.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => runner.Get<IUnmarked>());

        Assert.Contains("IUnmarked is not marked [Remote]", error.Message, StringComparison.Ordinal);
        Assert.NotNull(runner.Get<ISource>());
        await runner.StopAsync();
    }

    [Fact]
    public async Task Start_refuses_a_Remote_method_that_is_not_async_and_names_it()
    {
        await using var runner = CreateRunner(SynchronousSystem.System, Empty);

        var error = await Assert.ThrowsAsync<ProgrammingException>(() => runner.StartAsync());

        Assert.Contains("ISynchronousProbe.CountEntries is in a [Remote] interface but returns Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_stored_under_an_older_topic_of_its_type_is_followed()
    {
        await using var runner = CreateRunner(TwoTalliesSystem.System, Empty);
        await runner.StartAsync();
        var source = runner.Get<ISource>();

        await source.WriteUnderOldTopicAsync("diary", "old");
        await source.WriteAsync("diary", "new");
        await runner.CatchUpAsync();

        Assert.Equal(["old", "new"], await runner.Get<IFirstTally>().GetEntriesAsync());
        Assert.Contains(Notebook.Written.OldTopic, (await runner.Get<IFirstTally>().GetFollowTopicsAsync())!);
        await runner.StopAsync();
    }

    [Fact]
    public async Task Each_of_two_followers_of_one_leader_gets_every_event()
    {
        await using var runner = CreateRunner(TwoTalliesSystem.System, Empty);
        await runner.StartAsync();
        var source = runner.Get<ISource>();

        await source.WriteAsync("diary", "one");
        await source.WriteAsync("journal", "two");
        await source.WriteManyAsync("diary", ["three", "four"]);
        await runner.CatchUpAsync();

        Assert.Equal(["one", "two", "three", "four"], await runner.Get<IFirstTally>().GetEntriesAsync());
        Assert.Equal(["one", "two", "three", "four"], await runner.Get<ISecondTally>().GetEntriesAsync());

        await runner.StopAsync();
    }

    [Fact]
    public async Task A_follower_of_two_leaders_gets_the_events_of_both()
    {
        await using var runner = CreateRunner(TwoSourcesSystem.System, Empty);
        await runner.StartAsync();
        var source = runner.Get<ISource>();
        var other = runner.Get<IOtherSource>();

        await source.WriteAsync("diary", "a1");
        await other.WriteAsync("diary", "b1");
        await source.WriteManyAsync("diary", ["a2", "a3"]);
        await other.WriteAsync("diary", "b2");
        await runner.CatchUpAsync();

        var entries = await runner.Get<IFirstTally>().GetEntriesAsync();
        Assert.Equal(["a1", "a2", "a3", "b1", "b2"], entries.Order(StringComparer.Ordinal));
        Assert.Equal(["a1", "a2", "a3"], entries.Where(e => e.StartsWith('a')));

        await runner.StopAsync();
    }

    [Fact]
    public async Task A_processing_loop_runs_to_its_bound_and_records_each_step_once()
    {
        await using var runner = CreateRunner(PingPongSystem.System, Empty);
        await runner.StartAsync();
        var ping = runner.Get<IPing>();
        var pong = runner.Get<IPong>();

        await ping.ServeAsync(limit: 21);
        await runner.CatchUpAsync();

        Assert.Equal([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21], await ping.GetHitsAsync());
        Assert.Equal([2, 4, 6, 8, 10, 12, 14, 16, 18, 20], await pong.GetHitsAsync());
        // Started + 11 hits, Started + 10 hits: nothing was processed twice.
        Assert.Equal(12, await ping.GetMaxNotificationIdAsync());
        Assert.Equal(11, await pong.GetMaxNotificationIdAsync());

        await runner.StopAsync();
    }

    /// <summary>Needs a backend that keeps events after its applications are closed; in-memory subclasses skip it.</summary>
    [Fact]
    public virtual async Task Followers_catch_up_with_events_saved_before_start()
    {
        await using (var first = CreateRunner(SourceOnlySystem.System, Empty))
        {
            await first.StartAsync();
            await first.Get<ISource>().WriteManyAsync("diary", ["one", "two", "three"]);
            await first.StopAsync();
        }

        await using var runner = CreateRunner(SourceAndTallySystem.System, Empty);
        await runner.StartAsync();
        await runner.CatchUpAsync();

        Assert.Equal(["one", "two", "three"], await runner.Get<IFirstTally>().GetEntriesAsync());
        await runner.Get<ISource>().WriteAsync("diary", "four");
        await runner.CatchUpAsync();
        Assert.Equal(["one", "two", "three", "four"], await runner.Get<IFirstTally>().GetEntriesAsync());

        await runner.StopAsync();
    }

    [Fact]
    public async Task Followers_catch_up_with_events_saved_before_the_first_wait()
    {
        await using var runner = CreateRunner(SourceAndTallySystem.System, Empty);
        await runner.StartAsync();
        var source = runner.Get<ISource>();
        var texts = Enumerable.Range(1, 1200).Select(i => $"text {i}").ToArray();

        // More than one batch of notifications, saved in one transaction and a few small ones.
        await source.WriteManyAsync("diary", texts[..1100]);
        foreach (var text in texts[1100..])
        {
            await source.WriteAsync("journal", text);
        }

        await runner.CatchUpAsync();
        Assert.Equal(texts, await runner.Get<IFirstTally>().GetEntriesAsync());

        await runner.StopAsync();
    }

    [Fact]
    public async Task A_follower_gets_only_the_topics_it_follows_and_still_catches_up()
    {
        await using var runner = CreateRunner(SourceAndTallySystem.System, Empty);
        await runner.StartAsync();
        var source = runner.Get<ISource>();
        var tally = runner.Get<IFirstTally>();

        // The topics of the type it handles, its older one included.
        Assert.Equal(Topics.AllOf(typeof(Notebook.Written)).Order(StringComparer.Ordinal), await tally.GetFollowTopicsAsync());
        await source.WriteAsync("diary", "one");
        await source.TagAsync("diary", "private");
        await source.WriteAsync("diary", "two");
        // The leader's last events are of topics the follower does not follow.
        for (var i = 0; i < 5; i++)
        {
            await source.TagAsync("diary", $"tag {i}");
        }

        await runner.CatchUpAsync();
        Assert.Equal(["one", "two"], await tally.GetEntriesAsync());

        await source.WriteAsync("diary", "three");
        await runner.CatchUpAsync();
        Assert.Equal(["one", "two", "three"], await tally.GetEntriesAsync());

        await runner.StopAsync();
    }

    [Fact]
    public async Task Followers_read_a_leader_that_compresses_and_encrypts_with_its_own_key()
    {
        var env = new Dictionary<string, string>
        {
            ["SOURCE_COMPRESSOR_TOPIC"] = "zlib",
            ["SOURCE_CIPHER_KEY"] = AesCipher.CreateKey(),
            ["FIRSTTALLY_CIPHER_KEY"] = AesCipher.CreateKey(),
        };
        await using var runner = CreateRunner(SourceAndTallySystem.System, env);
        await runner.StartAsync();
        var source = runner.Get<ISource>();

        await source.WriteManyAsync("diary", ["secret one", "secret two"]);
        await runner.CatchUpAsync();

        Assert.Equal(["secret one", "secret two"], await runner.Get<IFirstTally>().GetEntriesAsync());
        await runner.StopAsync();
    }

    [Fact]
    public async Task A_policy_error_reaches_the_caller_with_its_message()
    {
        await using var runner = CreateRunner(FaultySystem.System, Empty);
        await runner.StartAsync();
        var source = runner.Get<ISource>();
        await source.WriteAsync("diary", "fine");
        const string original = "Cannot digest 'poison pill'";

        if (RaisesProcessingErrorsFromCommands(runner))
        {
            var fromCommand = await Assert.ThrowsAnyAsync<Exception>(() => source.WriteAsync("diary", "poison pill"));
            Assert.Contains(original, fromCommand.Message, StringComparison.Ordinal);
        }
        else
        {
            await source.WriteAsync("diary", "poison pill");
        }

        var fromWait = await Assert.ThrowsAnyAsync<Exception>(() => runner.CatchUpAsync());
        Assert.Contains(original, fromWait.Message, StringComparison.Ordinal);
        // The poison event was not skipped: only what came before it was recorded.
        Assert.Equal(["fine"], await runner.Get<IFaulty>().GetEntriesAsync());

        var fromStop = await Assert.ThrowsAnyAsync<Exception>(() => runner.StopAsync());
        Assert.Contains(original, fromStop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_twice_is_an_error()
    {
        await using var runner = CreateRunner(SourceAndTallySystem.System, Empty);
        await runner.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.StartAsync());
        Assert.Contains("already started", error.Message, StringComparison.Ordinal);

        await runner.StopAsync();
    }

    [Fact]
    public async Task Getting_an_application_before_start_is_an_error()
    {
        await using var runner = CreateRunner(SourceAndTallySystem.System, Empty);

        var error = Assert.Throws<InvalidOperationException>(() => runner.Get<ISource>());
        Assert.Contains("StartAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Getting_an_application_the_system_does_not_have_is_an_error()
    {
        await using var runner = CreateRunner(SourceAndTallySystem.System, Empty);
        await runner.StartAsync();

        var error = Assert.ThrowsAny<ArgumentException>(() => runner.Get<ISecondTally>());
        Assert.Contains(nameof(SecondTally), error.Message, StringComparison.Ordinal);

        await runner.StopAsync();
    }

    [Fact]
    public async Task Getting_an_application_by_a_type_several_share_is_an_error_naming_them()
    {
        await using var runner = CreateRunner(TwoTalliesSystem.System, Empty);
        await runner.StartAsync();

        var error = Assert.ThrowsAny<ArgumentException>(() => runner.Get<ITally>());
        Assert.Contains(nameof(FirstTally), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SecondTally), error.Message, StringComparison.Ordinal);

        await runner.StopAsync();
    }

    private static IReadOnlyDictionary<string, string> Empty { get; } = new Dictionary<string, string>();
}
