using System.Text;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Tests.Runners;

namespace EventSourcing.Tests.Metadata;

/// <summary>
/// The metadata a store keeps with each event, as applications record it and read it back: the correlation id of the
/// command, the causation of a process application's events, plain or compressed and encrypted. One subclass per store.
/// </summary>
public abstract class EventMetadataTests : IAsyncLifetime
{
    private readonly List<Application> _applications = [];

    /// <summary>The store's settings for the test's applications, each on storage of its own.</summary>
    protected abstract IReadOnlyDictionary<string, string> StoreSettings { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var application in _applications)
        {
            await application.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_commands_events_carry_the_correlation_id_it_was_given_and_no_causation(bool encoded)
    {
        var (school, _) = Start(encoded);

        using (Correlation.Begin("order-17"))
        {
            await school.RegisterDogAsync("Billy");
        }

        var metadata = await MetadataAsync(school);
        var registered = Assert.Single(metadata).Metadata;
        Assert.NotNull(registered);
        Assert.Equal("order-17", registered.CorrelationId);
        Assert.Null(registered.Causation);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_command_without_a_correlation_id_gets_a_new_one(bool encoded)
    {
        var (school, _) = Start(encoded);

        await school.RegisterDogAsync("Billy");
        await school.AddTrickAsync("Billy", "roll over");

        var ids = (await MetadataAsync(school)).Select(m => m.Metadata?.CorrelationId).ToArray();
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _), id));
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task Compressed_and_encrypted_metadata_shows_nothing_of_its_json()
    {
        var (school, _) = Start(encoded: true);

        using (Correlation.Begin("order-17"))
        {
            await school.RegisterDogAsync("Billy");
        }

        var stored = Assert.Single(await school.Log.SelectAsync(1, 10)).Metadata;
        Assert.NotNull(stored);
        Assert.DoesNotContain("order-17", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.Equal("order-17", school.Mapper.DecodeMetadata(stored)?.CorrelationId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_process_applications_events_are_caused_by_the_notification_and_keep_its_correlation_id(bool encoded)
    {
        var (school, counters) = Start(encoded);
        using (Correlation.Begin("order-17"))
        {
            await school.RegisterDogAsync("Billy");
            await school.AddTrickAsync("Billy", "roll over");
        }

        var trickAdded = (await school.Log.SelectAsync(1, 10)).Single(n => n.Topic == "dogschool:Dog.TrickAdded");
        await counters.ProcessAsync("DogSchool", await school.Log.SelectAsync(1, 10));

        var counterEvents = await MetadataAsync(counters);
        Assert.Equal(["counters:Counter.Created", "counters:Counter.Incremented"], counterEvents.Select(e => e.Notification.Topic));
        Assert.All(counterEvents, e =>
        {
            Assert.Equal(new Causation("DogSchool", trickAdded.Id), e.Metadata?.Causation);
            Assert.Equal("order-17", e.Metadata?.CorrelationId);
        });
    }

    [Fact]
    public async Task Events_recorded_before_metadata_existed_have_none_and_are_still_processed()
    {
        var (school, counters) = Start(encoded: false);
        var dog = Dog.Register("Billy");
        dog.AddTrick("roll over");
        await school.Recorder.InsertEventsAsync([.. dog.CollectEvents().Select(e => school.Mapper.ToStoredEvent(e))]);

        await counters.ProcessAsync("DogSchool", await school.Log.SelectAsync(1, 10));

        Assert.All(await MetadataAsync(school), e => Assert.Null(e.Metadata));
        var counterEvents = await MetadataAsync(counters);
        Assert.All(counterEvents, e => Assert.Equal(new Causation("DogSchool", 2), e.Metadata?.Causation));
        Assert.True(Guid.TryParse(counterEvents[0].Metadata?.CorrelationId, out _));
        Assert.Equal(1, await counters.GetCountAsync("roll over"));
    }

    /// <summary>The test's DogSchool and Counters on the store, plain or with compression and encryption.</summary>
    private (DogSchool School, Counters Counters) Start(bool encoded)
    {
        var env = new Dictionary<string, string>(StoreSettings);
        if (encoded)
        {
            env["COMPRESSOR_TOPIC"] = "zlib";
            env["CIPHER_KEY"] = TutorialSteps.NewCipherKey();
        }

        var school = new DogSchool(env);
        var counters = new Counters(env);
        _applications.AddRange([school, counters]);
        return (school, counters);
    }

    private static async Task<IReadOnlyList<(Notification Notification, EventMetadata? Metadata)>> MetadataAsync(Application application)
        => [.. (await application.Log.SelectAsync(1, 100)).Select(n => (n, application.Mapper.DecodeMetadata(n.Metadata)))];
}
