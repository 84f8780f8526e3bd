using EventSourcing.Testing.Runners.TestApps;

// Not EventSourcing.Tests.Application: a namespace of that name would hide the Application class from every test.
namespace EventSourcing.Tests.Applications;

public class ApplicationTests
{
    private static readonly Dictionary<string, string> Popo = new() { ["PERSISTENCE_MODULE"] = "popo" };

    [Fact]
    public async Task Save_returns_the_notification_id_of_each_event()
    {
        await using var app = new Source(Popo);
        var book = Notebook.Start("diary");
        book.Write("one");

        var first = await app.SaveAsync(book);
        book.Write("two");
        var second = await app.SaveAsync(book);

        Assert.Equal([1L, 2L], first.Select(r => r.NotificationId));
        Assert.IsType<Notebook.Started>(first[0].DomainEvent);
        Assert.Equal([3L], second.Select(r => r.NotificationId));
        Assert.Equal("two", Assert.IsType<Notebook.Written>(second[0].DomainEvent).Text);
        var notifications = await app.Log.SelectAsync(1, 10);
        Assert.Equal([1L, 2L, 3L], notifications.Select(n => n.Id));
        Assert.Equal([1, 2, 3], notifications.Select(n => n.OriginatorVersion));
        Assert.All(notifications, n => Assert.Equal(book.Id, n.OriginatorId));
    }

    [Fact]
    public async Task The_repository_gets_an_aggregate_at_any_version()
    {
        await using var app = new Source(Popo);
        await app.WriteAsync("diary", "one");
        await app.WriteAsync("diary", "two");

        AssertNotebook(await app.GetNotebookAsync("diary"), 3, "one", "two");
        AssertNotebook(await app.GetNotebookAsync("diary", version: 1), 1);
        AssertNotebook(await app.GetNotebookAsync("diary", version: 2), 2, "one");
    }

    [Fact]
    public async Task Getting_an_aggregate_that_does_not_exist_is_an_AggregateNotFoundException()
    {
        await using var app = new Source(Popo);
        await app.WriteAsync("diary", "one");
        var missing = Notebook.CreateId("journal");

        var error = await Assert.ThrowsAsync<AggregateNotFoundException>(() => app.Repository.GetAsync<Notebook>(missing));
        Assert.Equal(missing, error.AggregateId);
        Assert.Contains(missing.ToString(), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AggregateNotFoundException>(() => app.GetNotebookAsync("diary", version: 3));
        await Assert.ThrowsAsync<AggregateNotFoundException>(() => app.GetNotebookAsync("diary", version: 0));
        Assert.Null(await app.Repository.FindAsync<Notebook>(missing));
    }

    [Fact]
    public async Task A_conflicting_save_is_a_ConcurrencyException_and_loses_no_update()
    {
        await using var app = new Source(Popo);
        await app.WriteAsync("diary", "one");
        var first = await app.GetNotebookAsync("diary");
        var second = await app.GetNotebookAsync("diary");

        first.Write("from first");
        second.Write("from second");
        await app.SaveAsync(first);
        await Assert.ThrowsAsync<ConcurrencyException>(() => app.SaveAsync(second));

        AssertNotebook(await app.GetNotebookAsync("diary"), 3, "one", "from first");
        Assert.Equal(3, await app.Log.MaxNotificationIdAsync());
    }

    [Fact]
    public async Task Concurrent_commands_on_one_aggregate_lose_no_update()
    {
        await using var app = new Source(Popo);
        await app.WriteAsync("diary", "start");
        var conflicts = 0;

        async Task WriteWithRetriesAsync(string text)
        {
            while (true)
            {
                try
                {
                    await app.WriteAsync("diary", text);
                    return;
                }
                catch (ConcurrencyException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        }

        var texts = Enumerable.Range(0, 8).SelectMany(w => Enumerable.Range(0, 25).Select(i => $"{w}/{i}")).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            foreach (var text in texts.Where(t => t.StartsWith($"{w}/", StringComparison.Ordinal)))
            {
                await WriteWithRetriesAsync(text);
            }
        })));

        var book = await app.GetNotebookAsync("diary");
        Assert.Equal(2 + texts.Length, book.Version);
        Assert.Equal(texts.Order(StringComparer.Ordinal), book.Texts.Skip(1).Order(StringComparer.Ordinal));
        Assert.Equal(2 + texts.Length, await app.Log.MaxNotificationIdAsync());
    }

    [Fact]
    public async Task The_cache_hands_out_copies_that_unsaved_changes_do_not_reach()
    {
        await using var app = new Source(Popo);
        await app.WriteAsync("diary", "one");

        var first = await app.GetNotebookAsync("diary");
        first.Write("never saved");
        var second = await app.GetNotebookAsync("diary");

        Assert.NotSame(first, second);
        AssertNotebook(second, 2, "one");
    }

    [Fact]
    public async Task A_failed_save_leaves_no_trace_in_the_cache()
    {
        await using var app = new Source(Popo);
        await app.WriteAsync("diary", "one");
        var stale = await app.GetNotebookAsync("diary");
        await app.WriteAsync("diary", "two");

        stale.Write("lost");
        await Assert.ThrowsAsync<ConcurrencyException>(() => app.SaveAsync(stale));

        AssertNotebook(await app.GetNotebookAsync("diary"), 3, "one", "two");
    }

    [Fact]
    public async Task With_snapshots_getting_an_aggregate_of_a_thousand_events_replays_only_the_latest()
    {
        var env = new Dictionary<string, string>(Popo)
        {
            ["IS_SNAPSHOTTING_ENABLED"] = "true",
            ["SNAPSHOTTING_INTERVAL"] = "100",
            // Without the cache every get goes to the store, so what it replays shows what it read.
            ["AGGREGATE_CACHE_MAXSIZE"] = "0",
        };
        await using var app = new Source(env);
        await using var plain = new Source(new Dictionary<string, string>(Popo) { ["AGGREGATE_CACHE_MAXSIZE"] = "0" });
        for (var i = 1; i <= 1000; i++)
        {
            await app.WriteAsync("diary", $"text {i}");
        }

        await plain.WriteManyAsync("diary", Enumerable.Range(1, 1000).Select(i => $"text {i}"));

        var book = await app.GetNotebookAsync("diary");
        var atVersion550 = await app.GetNotebookAsync("diary", version: 550);
        var replayedInFull = await plain.GetNotebookAsync("diary");
        var replayedHere = AggregateFactory.New<Notebook>();
        foreach (var stored in await app.Recorder.SelectEventsAsync(book.Id))
        {
            replayedHere.Replay(app.Mapper.ToDomainEvent(stored));
        }

        Assert.True(app.IsSnapshottingEnabled);
        Assert.Equal((1001, 1000, "text 1000"), (book.Version, book.Texts.Count, book.Texts[^1]));
        Assert.Equal(1, book.AppliedEvents);
        Assert.Equal((550, 549), (atVersion550.Version, atVersion550.Texts.Count));
        Assert.Equal(50, atVersion550.AppliedEvents);
        Assert.Equal(1001, replayedInFull.AppliedEvents);
        Assert.Equal(book.Texts, replayedHere.Texts);
        Assert.Equal((book.Id, book.Name, book.CreatedOn, book.ModifiedOn), (replayedHere.Id, replayedHere.Name, replayedHere.CreatedOn, replayedHere.ModifiedOn));
    }

    [Fact]
    public async Task A_snapshot_taken_on_request_is_used_by_the_next_get()
    {
        var env = new Dictionary<string, string>(Popo) { ["IS_SNAPSHOTTING_ENABLED"] = "yes", ["AGGREGATE_CACHE_MAXSIZE"] = "0" };
        await using var app = new Source(env);
        await app.WriteManyAsync("diary", Enumerable.Range(1, 300).Select(i => $"text {i}"));

        await app.TakeSnapshotAsync<Notebook>(Notebook.CreateId("diary"));
        await app.WriteAsync("diary", "after");

        var book = await app.GetNotebookAsync("diary");
        Assert.Equal((302, 1), (book.Version, book.AppliedEvents));
        Assert.Equal("after", book.Texts[^1]);
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("0")]
    public async Task State_kept_in_private_fields_survives_the_cache_and_snapshots(string cacheSize)
    {
        var env = new Dictionary<string, string>(Popo)
        {
            ["IS_SNAPSHOTTING_ENABLED"] = "true",
            ["SNAPSHOTTING_INTERVAL"] = "2",
            ["AGGREGATE_CACHE_MAXSIZE"] = cacheSize,
        };
        await using var app = new Source(env);
        await app.WriteAsync("diary", "one");
        await app.TagAsync("diary", "private");
        await app.TagAsync("diary", "draft");

        var book = await app.GetNotebookAsync("diary");

        Assert.Equal(["private", "draft"], book.Tags);
        Assert.Equal(["one"], book.Texts);
        Assert.Equal(4, book.Version);
    }

    [Fact]
    public async Task Taking_a_snapshot_without_snapshotting_enabled_is_an_error()
    {
        await using var app = new Source(Popo);
        await app.WriteAsync("diary", "one");

        var error = await Assert.ThrowsAsync<ProgrammingException>(() => app.TakeSnapshotAsync<Notebook>(Notebook.CreateId("diary")));
        Assert.Contains("IS_SNAPSHOTTING_ENABLED", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_are_looked_up_with_the_application_prefix_first()
    {
        var env = new ApplicationEnvironment("Shop", new Dictionary<string, string>
        {
            ["SHOP_COLOR"] = "red",
            ["COLOR"] = "blue",
            ["SIZE"] = "large",
            ["SHOP_EMPTY"] = string.Empty,
            ["EMPTY"] = "fallback",
        }, includeProcessEnvironment: false);

        Assert.Equal("SHOP_", env.Prefix);
        Assert.Equal("red", env.Get("COLOR"));
        Assert.Equal("large", env.Get("SIZE"));
        Assert.Equal("fallback", env.Get("EMPTY"));
        Assert.Null(env.Get("MISSING"));
        Assert.Equal("SHOP_COLOR", env.NameOf("COLOR"));
        Assert.Equal("blue", env.For("Other").Get("COLOR"));
    }

    [Fact]
    public void Given_settings_win_over_the_process_environment()
    {
        var key = $"APPTESTS_{Guid.NewGuid():N}".ToUpperInvariant();
        Environment.SetEnvironmentVariable(key, "from the process");
        Environment.SetEnvironmentVariable("SHOP_" + key, "from the process, for the shop");
        try
        {
            Assert.Equal("from the process, for the shop", new ApplicationEnvironment("Shop").Get(key));
            Assert.Equal("from the process", new ApplicationEnvironment("Mall").Get(key));
            Assert.Equal("given", new ApplicationEnvironment("Mall", new Dictionary<string, string> { [key] = "given" }).Get(key));
            Assert.Equal(
                "given, for the shop",
                new ApplicationEnvironment("Shop", new Dictionary<string, string> { ["SHOP_" + key] = "given, for the shop" }).Get(key));
        }
        finally
        {
            Environment.SetEnvironmentVariable(key, null);
            Environment.SetEnvironmentVariable("SHOP_" + key, null);
        }
    }

    [Fact]
    public void A_missing_or_malformed_setting_is_an_error_naming_the_variable()
    {
        var env = new ApplicationEnvironment("Shop", new Dictionary<string, string> { ["SHOP_LIMIT"] = "many" }, includeProcessEnvironment: false);

        Assert.Contains("SHOP_LIMIT", Assert.Throws<ConfigurationException>(() => env.GetInt("LIMIT", 1)).Message, StringComparison.Ordinal);
        Assert.Contains("SHOP_REQUIRED", Assert.Throws<ConfigurationException>(() => env.GetRequired("REQUIRED")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_is_named_after_its_class_and_reads_its_prefixed_settings()
    {
        await using var app = new Source(new Dictionary<string, string>(Popo) { ["SOURCE_MOOD"] = "calm", ["MOOD"] = "grumpy" });

        Assert.Equal("Source", app.Name);
        Assert.Equal("calm", app.Environment.Get("MOOD"));
        Assert.Equal("popo", app.PersistenceName);
    }

    [Fact]
    public async Task A_process_application_ignores_notifications_it_already_processed()
    {
        await using var source = new Source(Popo);
        await using var tally = new FirstTally(Popo);
        await source.WriteManyAsync("diary", ["one", "two", "three"]);
        var notifications = await source.Log.SelectAsync(1, 10);

        var firstTime = await tally.ProcessAsync(source.Name, [.. notifications.Take(3)], source.Mapper);
        var again = await tally.ProcessAsync(source.Name, [.. notifications.Take(3)], source.Mapper);
        var overlapping = await tally.ProcessAsync(source.Name, notifications, source.Mapper);

        Assert.Equal(3, firstTime.Count);
        Assert.Empty(again);
        Assert.Single(overlapping);
        Assert.Equal(["one", "two", "three"], await tally.GetEntriesAsync());
        Assert.Equal(4, await tally.Log.MaxNotificationIdAsync());
        Assert.Equal(4, await tally.Recorder.MaxTrackingIdAsync(source.Name));
    }

    /// <summary>
    /// Two processes of one process application on one SQLite file: this one records notifications 1-2, the other 1-4,
    /// then this one is given 3-5. It records only 5, whether its policy would record 3 and 4 again (the tally) or
    /// refuse them, checking its own state first (the strict tally).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Notifications_another_process_recorded_first_are_not_processed_again(bool strictPolicy)
    {
        using var directory = new EventSourcing.Testing.TempDirectory();
        var env = new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", ["SQLITE_DBNAME"] = directory.File("tally.db") };
        TallyApplication Tally() => strictPolicy ? new StrictTally(env) : new FirstTally(env);
        await using var source = new Source(Popo);
        await using var here = Tally();
        await using var elsewhere = Tally();
        await source.WriteManyAsync("diary", ["one", "two", "three", "four"]);
        var notifications = await source.Log.SelectAsync(1, 10);

        await here.ProcessAsync(source.Name, [.. notifications.Take(2)], source.Mapper);
        await elsewhere.ProcessAsync(source.Name, [.. notifications.Take(4)], source.Mapper);
        // This process recorded up to 2 itself; 3 and 4 were recorded by the other since.
        var afterThat = await here.ProcessAsync(source.Name, [.. notifications.Skip(2)], source.Mapper);

        Assert.Single(afterThat);
        Assert.Equal(["one", "two", "three", "four"], await here.GetEntriesAsync());
        Assert.Equal(5, await here.Recorder.MaxTrackingIdAsync(source.Name));
    }

    [Fact]
    public async Task A_policy_for_a_base_event_type_gets_the_events_of_its_subtypes()
    {
        await using var source = new Source(Popo);
        await using var archivist = new Archivist(Popo);
        await source.WriteAsync("diary", "one");
        await source.TagAsync("diary", "private");

        await archivist.ProcessAsync(source.Name, await source.Log.SelectAsync(1, 10, topics: archivist.FollowTopics), source.Mapper);

        // Written has a policy of its own; the others reach the policy for DomainEvent.
        Assert.Equal(["Started", "one", "Tagged"], await archivist.GetEntriesAsync());
    }

    [Fact]
    public async Task A_policy_error_in_a_batch_records_the_notifications_before_it()
    {
        await using var source = new Source(Popo);
        await using var faulty = new Faulty(Popo);
        await source.WriteManyAsync("diary", ["one", "two", "poison", "three"]);
        var notifications = await source.Log.SelectAsync(1, 10);

        var error = await Assert.ThrowsAsync<PolicyException>(() => faulty.ProcessAsync(source.Name, notifications, source.Mapper));

        Assert.Contains("Cannot digest 'poison'", error.Message, StringComparison.Ordinal);
        Assert.Equal((4L, source.Name), (error.NotificationId, error.Leader));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(["one", "two"], await faulty.GetEntriesAsync());
        Assert.Equal(3, await faulty.Recorder.MaxTrackingIdAsync(source.Name));
        Assert.False(await faulty.Recorder.HasTrackingIdAsync(source.Name, 4));

        // Processing again starts at the poison event again: it is never skipped.
        await Assert.ThrowsAsync<PolicyException>(() => faulty.ProcessAsync(source.Name, notifications, source.Mapper));
        Assert.Equal(["one", "two"], await faulty.GetEntriesAsync());
    }

    /// <summary>A tally whose policy refuses a text it has already: it checks its own state before it writes.</summary>
    [ApplicationName("FirstTally")]
    private sealed class StrictTally(IReadOnlyDictionary<string, string> env) : TallyApplication(env)
    {
        protected override async Task HandleAsync(Notebook.Written written, ProcessingEvent processingEvent, CancellationToken cancellationToken)
        {
            var tally = await Repository.FindAsync<Tally>(TallyId, cancellationToken);
            if (tally is not null && tally.Entries.Contains(written.Text))
            {
                throw new InvalidOperationException($"'{written.Text}' is in the tally already");
            }

            await base.HandleAsync(written, processingEvent, cancellationToken);
        }
    }

    private static void AssertNotebook(Notebook book, int version, params string[] texts)
    {
        Assert.Equal(version, book.Version);
        Assert.Equal(texts, book.Texts);
    }
}
