using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Tests.Metadata;

/// <summary>
/// A database made by the version before event metadata (its tables without the <c>metadata</c> column, written here
/// with that version's DDL) is upgraded in place when an application starts on it: its events stay readable, without
/// metadata, and new events get metadata. One subclass per SQL backend.
/// </summary>
public abstract class SchemaUpgradeTests : IAsyncLifetime
{
    /// <summary>DogSchool's settings on the test's database, snapshotting on.</summary>
    protected abstract IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>
    /// Makes DogSchool's tables (events, snapshots, log identity) as the version before metadata made them, and inserts
    /// <paramref name="stored"/> as notification 1 without metadata.
    /// </summary>
    protected abstract Task CreateOldTablesAsync(StoredEvent stored);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Tables_of_the_version_before_metadata_are_upgraded_on_start_and_keep_their_events()
    {
        var dog = Dog.Register("Billy");
        await CreateOldTablesAsync(new Mapper().ToStoredEvent(dog.CollectEvents().Single()));

        await using var school = new DogSchool(Settings);
        using (Correlation.Begin("after-upgrade"))
        {
            await school.AddTrickAsync("Billy", "roll over");
        }

        await school.TakeSnapshotAsync<Dog>(Dog.CreateId("Billy"));
        var notifications = await school.Log.SelectAsync(1, 10);
        Assert.Equal([1L, 2L], notifications.Select(n => n.Id));
        Assert.Null(notifications[0].Metadata);
        Assert.Equal("after-upgrade", school.Mapper.DecodeMetadata(notifications[1].Metadata)?.CorrelationId);
        Assert.Equal(["roll over"], (await school.GetDogAsync("Billy")).Tricks);

        await using var again = new DogSchool(Settings);
        Assert.Equal(["roll over"], (await again.GetDogAsync("Billy")).Tricks);
    }
}
