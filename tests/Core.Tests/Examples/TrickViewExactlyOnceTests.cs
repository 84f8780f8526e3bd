using EventSourcing.Examples.DogSchool;
using EventSourcing.Examples.TrickView;

namespace EventSourcing.Tests.Examples;

/// <summary>The view changes of a notification are recorded with its tracking row: once, and all or none.</summary>
public abstract class TrickViewExactlyOnceTests
{
    /// <summary>Settings that put both applications on the backend under test, isolated from other tests.</summary>
    protected abstract IReadOnlyDictionary<string, string> CreateEnv();

    [Fact]
    public async Task Does_not_count_a_notification_twice_when_it_is_processed_again()
    {
        var env = CreateEnv();
        await using var school = new DogSchool(env);
        await using var view = new TrickView(env);
        await school.RegisterDogAsync("Billy");
        await school.AddTrickAsync("Billy", "roll over");
        await school.AddTrickAsync("Billy", "fetch ball");
        var notifications = await school.Log.SelectAsync(1, 10);

        await view.ProcessAsync(school.Name, notifications, school.Mapper);
        await view.ProcessAsync(school.Name, notifications, school.Mapper);
        await view.ProcessAsync(school.Name, [notifications[2]], school.Mapper);

        Assert.Equal(
            Sorted(new DogTrick(Dog.CreateId("Billy"), "roll over", 1), new DogTrick(Dog.CreateId("Billy"), "fetch ball", 1)),
            await view.GetRowsAsync());
        Assert.Equal(3, await view.Recorder.MaxTrackingIdAsync(school.Name));
    }

    [Fact]
    public async Task Leaves_no_view_change_behind_when_a_policy_fails_after_making_one()
    {
        var env = CreateEnv();
        await using var school = new DogSchool(env);
        await using var view = new FaultyTrickView(env);
        await school.RegisterDogAsync("Billy");
        await school.AddTrickAsync("Billy", "roll over");
        await school.AddTrickAsync("Billy", "poison");
        await school.AddTrickAsync("Billy", "fetch ball");
        var notifications = await school.Log.SelectAsync(1, 10);

        var error = await Assert.ThrowsAsync<PolicyException>(() => view.ProcessAsync(school.Name, notifications, school.Mapper));

        Assert.Equal(3, error.NotificationId);
        Assert.Equal([new DogTrick(Dog.CreateId("Billy"), "roll over", 1)], await view.GetRowsAsync());
        Assert.Equal(2, await view.Recorder.MaxTrackingIdAsync(school.Name));
        Assert.False(await view.Recorder.HasTrackingIdAsync(school.Name, 3));
    }

    [Fact]
    public async Task Records_neither_tracking_nor_view_changes_when_a_view_change_fails_in_the_transaction()
    {
        var env = CreateEnv();
        await using var school = new DogSchool(env);
        await using var view = new FaultyTrickView(env);
        await school.RegisterDogAsync("Billy");
        await school.AddTrickAsync("Billy", "roll over");
        await school.AddTrickAsync("Billy", "broken");
        var notifications = await school.Log.SelectAsync(1, 10);

        await Assert.ThrowsAsync<InvalidOperationException>(() => view.ProcessAsync(school.Name, notifications, school.Mapper));

        Assert.Empty(await view.GetRowsAsync());
        Assert.Equal(0, await view.Recorder.MaxTrackingIdAsync(school.Name));

        // What came before the broken change can still be recorded, once.
        await view.ProcessAsync(school.Name, [.. notifications.Take(2)], school.Mapper);
        Assert.Equal([new DogTrick(Dog.CreateId("Billy"), "roll over", 1)], await view.GetRowsAsync());
        Assert.Equal(2, await view.Recorder.MaxTrackingIdAsync(school.Name));
    }

    private static DogTrick[] Sorted(params DogTrick[] rows)
        => [.. rows.OrderBy(r => r.DogId.ToString(), StringComparer.Ordinal).ThenBy(r => r.Trick, StringComparer.Ordinal)];
}
