using EventSourcing.Grpc.Protocol;
using EventSourcing.Grpc.V1;
using EventSourcing.Testing;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace EventSourcing.Node.Tests.Grpc;

/// <summary>What a node will not do for its readers: more subscribers than its cap, pages beyond a size, events beyond a size.</summary>
public sealed class NotificationLogLimitsTests : InMemoryNodeTests
{
    [Fact]
    public async Task A_subscriber_beyond_the_cap_is_refused_with_resource_exhausted_until_another_leaves()
    {
        var school = await StartAsync(InMemory, maxSubscribers: 2);
        using var leaving = new CancellationTokenSource();
        using var first = await SubscribeAsync(school, leaving.Token);
        using var second = await SubscribeAsync(school, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RpcException>(() => SubscribeAsync(school, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var info = refused.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        Assert.Equal(ErrorReasons.TooManySubscribers, info.Reason);
        Assert.Equal("2", info.Metadata["max_subscribers"]);
        Assert.Contains("--max-subscribers", refused.Status.Detail, StringComparison.Ordinal);
        Assert.IsType<OperationalException>(ErrorContract.ToException(refused, "DogSchool"));

        await leaving.CancelAsync();
        using var third = await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    return await SubscribeAsync(school, CancellationToken.None);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
                {
                    return null;
                }
            },
            call => call is not null,
            "a slot after one subscriber left");
        await CallAsync(school, "RegisterDog", "Billy");
        Assert.True(await second.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(1UL, Assert.Single(second.ResponseStream.Current.Notifications).Id);
    }

    [Fact]
    public async Task A_page_of_large_events_stops_near_a_mebibyte_and_the_reader_goes_on_from_its_last_id()
    {
        var school = await StartAsync(InMemory);
        await CallAsync(school, "RegisterDog", "Billy");
        for (var i = 0; i < 6; i++)
        {
            await CallAsync(school, "AddTrick", "Billy", new string((char)('a' + i), 300_000));
        }

        var first = await school.Client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 100 }, school.Client.Headers);
        Assert.InRange(first.CalculateSize(), 1, 1 << 20);
        Assert.InRange(first.Notifications.Count, 2, 4);
        Assert.Equal(7UL, first.MaxNotificationId);

        var ids = first.Notifications.Select(n => n.Id).ToList();
        while (ids[^1] < first.MaxNotificationId)
        {
            var page = await school.Client.Log.ReadAsync(new ReadRequest { Start = (long)ids[^1] + 1, Limit = 100 }, school.Client.Headers);
            Assert.InRange(page.CalculateSize(), 1, 1 << 20);
            ids.AddRange(page.Notifications.Select(n => n.Id));
        }

        Assert.Equal([1UL, 2UL, 3UL, 4UL, 5UL, 6UL, 7UL], ids);

        using var call = school.Client.Log.Subscribe(new SubscribeRequest { Start = 1 }, school.Client.Headers);
        var streamed = new List<ulong>();
        while (streamed.Count < 7 && await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.InRange(call.ResponseStream.Current.CalculateSize(), 1, (1 << 20) + 400_000);
            streamed.AddRange(call.ResponseStream.Current.Notifications.Select(n => n.Id));
        }

        Assert.Equal(ids, streamed);
    }

    [Fact]
    public async Task A_single_event_larger_than_a_page_still_comes_alone()
    {
        var school = await StartAsync(InMemory);
        await CallAsync(school, "RegisterDog", "Billy");
        await CallAsync(school, "AddTrick", "Billy", new string('z', 1_500_000));

        var page = await school.Client.Log.ReadAsync(new ReadRequest { Start = 2, Limit = 100 }, school.Client.Headers);

        Assert.Equal(2UL, Assert.Single(page.Notifications).Id);
    }

    [Fact]
    public async Task An_event_beyond_the_maximum_size_is_refused_naming_the_setting_and_nothing_is_recorded()
    {
        var school = await StartAsync(new Dictionary<string, string>(InMemory) { ["MAX_EVENT_BYTES"] = "2000" });
        await CallAsync(school, "RegisterDog", "Billy");

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(school, "AddTrick", "Billy", new string('x', 3000)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(ErrorReasons.ArgumentRejected, error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Contains("MAX_EVENT_BYTES", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1UL, (await school.Client.StatusAsync()).MaxNotificationId);
    }

    private Task<InMemoryNode> StartAsync(IReadOnlyDictionary<string, string> env, int? maxSubscribers = null)
        => StartAsync(env, options => maxSubscribers is { } max ? options with { MaxSubscribers = max } : options);

    /// <summary>A Subscribe stream once its first frame has come (so the node has counted it).</summary>
    private static async Task<AsyncServerStreamingCall<SubscribeResponse>> SubscribeAsync(InMemoryNode node, CancellationToken cancellationToken)
    {
        var call = node.Client.Log.Subscribe(new SubscribeRequest { Start = 1 }, node.Client.Headers, cancellationToken: cancellationToken);
        try
        {
            Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    private static Task<CallResponse> CallAsync(InMemoryNode node, string method, params string[] args)
    {
        var request = new CallRequest { Method = method, Args = new ListValue() };
        request.Args.Values.AddRange(args.Select(Value.ForString));
        return node.Client.Application.CallAsync(request, node.Client.Headers).ResponseAsync;
    }
}
