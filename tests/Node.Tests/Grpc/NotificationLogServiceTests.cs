using EventSourcing.Grpc.V1;
using Google.Protobuf.WellKnownTypes;

namespace EventSourcing.Node.Tests.Grpc;

/// <summary>Read and Subscribe as the protocol states them: 64-bit ids, positions, and the log's identity.</summary>
public sealed class NotificationLogServiceTests : DogSchoolNodeOnSqlite
{

    [Fact]
    public async Task Ids_beyond_32_bits_are_read_and_streamed_whole()
    {
        await CallAsync("RegisterDog", "Billy");
        await LargeIds.SkipAheadAsync(DatabaseFile);
        await CallAsync("AddTrick", "Billy", "roll over");

        var page = await School.Client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10 }, School.Client.Headers);
        Assert.Equal([1UL, (ulong)LargeIds.Next], page.Notifications.Select(n => n.Id));
        Assert.Equal((ulong)LargeIds.Next, page.MaxNotificationId);

        using var call = School.Client.Log.Subscribe(new SubscribeRequest { Start = 2 }, School.Client.Headers);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var frame = call.ResponseStream.Current;
        Assert.Equal((ulong)LargeIds.Next, Assert.Single(frame.Notifications).Id);
        Assert.Equal((ulong)LargeIds.Next, frame.Position);

        var status = await School.Client.StatusAsync();
        Assert.Equal((ulong)LargeIds.Next, status.MaxNotificationId);
    }

    [Fact]
    public async Task Read_every_subscribe_frame_and_status_carry_the_same_log_id()
    {
        await CallAsync("RegisterDog", "Billy");

        var page = await School.Client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10 }, School.Client.Headers);
        var status = await School.Client.StatusAsync();
        using var call = School.Client.Log.Subscribe(new SubscribeRequest { Start = 1 }, School.Client.Headers);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.True(Guid.TryParse(page.LogId, out var logId), $"log_id '{page.LogId}' is a UUID");
        Assert.Equal(await School.Application.Log.GetLogIdAsync(), logId);
        Assert.Equal(page.LogId, status.LogId);
        Assert.Equal(page.LogId, call.ResponseStream.Current.LogId);
    }

    [Fact]
    public async Task A_subscriber_that_is_up_to_date_first_hears_where_the_log_stands_then_gets_new_notifications()
    {
        await CallAsync("RegisterDog", "Billy");
        using var call = School.Client.Log.Subscribe(new SubscribeRequest { Start = 2 }, School.Client.Headers);

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var first = call.ResponseStream.Current;
        Assert.Empty(first.Notifications);
        Assert.Equal(1UL, first.Position);
        Assert.Equal(1UL, first.MaxNotificationId);

        await CallAsync("AddTrick", "Billy", "sit");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var pushed = call.ResponseStream.Current;
        Assert.Equal("dogschool:Dog.TrickAdded", Assert.Single(pushed.Notifications).Topic);
        Assert.Equal(2UL, pushed.Position);
    }

    [Fact]
    public async Task A_filtered_subscription_advances_its_position_past_other_topics()
    {
        await CallAsync("RegisterDog", "Billy");
        await CallAsync("RegisterDog", "Milly");
        await CallAsync("AddTrick", "Milly", "sit");

        using var call = School.Client.Log.Subscribe(new SubscribeRequest { Start = 1, Topics = { "dogschool:Dog.Registered" } }, School.Client.Headers);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var frame = call.ResponseStream.Current;
        Assert.Equal([1UL, 2UL], frame.Notifications.Select(n => n.Id));
        Assert.Equal(3UL, frame.Position);
    }

    [Fact]
    public async Task A_topic_filter_also_selects_events_stored_under_an_alias_of_the_type()
    {
        // An earlier version of the dog school stored its tricks under another topic.
        const string oldTopic = "node-tests:Dog.Taught";
        Topics.RegisterAlias(oldTopic, typeof(Examples.DogSchool.Dog.TrickAdded));
        await CallAsync("RegisterDog", "Billy");
        var trick = School.Application.Mapper.ToStoredEvent(new Examples.DogSchool.Dog.TrickAdded("sit") { OriginatorId = Examples.DogSchool.Dog.CreateId("Billy"), OriginatorVersion = 2 });
        await School.Application.Recorder.InsertEventsAsync([trick with { Topic = oldTopic }]);
        await CallAsync("AddTrick", "Billy", "roll over");

        var page = await School.Client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10, Topics = { "dogschool:Dog.TrickAdded" } }, School.Client.Headers);
        using var call = School.Client.Log.Subscribe(new SubscribeRequest { Start = 1, Topics = { "dogschool:Dog.TrickAdded" } }, School.Client.Headers);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal([oldTopic, "dogschool:Dog.TrickAdded"], page.Notifications.Select(n => n.Topic));
        Assert.Equal([2UL, 3UL], call.ResponseStream.Current.Notifications.Select(n => n.Id));
    }

    private Task<CallResponse> CallAsync(string method, params string[] args)
    {
        var request = new CallRequest { Method = method, Args = new ListValue() };
        request.Args.Values.AddRange(args.Select(Value.ForString));
        return School.Client.Application.CallAsync(request, School.Client.Headers).ResponseAsync;
    }
}
