using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EventSourcing.Grpc.V1;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>Bad calls get the right status code and a message saying what was wrong, and the node keeps serving.</summary>
public sealed class NodeBadInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly NodeHarness _nodes = new(output);
    private TestNode _school = null!;

    public async Task InitializeAsync() => _school = await _nodes.StartAsync("DogSchool");

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task An_unknown_method_is_not_found_and_the_message_lists_the_callable_ones()
    {
        var error = await CallFailsAsync("Shutdown");
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("AddTrick, GetDog, RegisterDog", error.Status.Detail, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_method_that_is_not_remote_cannot_be_called()
    {
        foreach (var method in new[] { "SaveAsync", "Save", "TakeSnapshot", "DisposeAsync", "GetHashCode", "ToString", string.Empty })
        {
            Assert.Equal(StatusCode.NotFound, (await CallFailsAsync(method)).StatusCode);
        }
    }

    [Fact]
    public async Task A_wrong_argument_count_is_invalid_and_the_message_gives_the_parameters()
    {
        var error = await CallFailsAsync("AddTrick", Value.ForString("Billy"));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("AddTrick takes 2 arguments (name: a string, trick: a string), got 1", error.Status.Detail, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_wrong_argument_type_is_invalid_and_the_message_names_the_parameter()
    {
        var error = await CallFailsAsync("RegisterDog", Value.ForNumber(7));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("argument 1 (name) must be a string, got the number 7", error.Status.Detail, StringComparison.Ordinal);

        var asObject = await CallFailsAsync("RegisterDog", Value.ForStruct(new Struct()));
        Assert.Equal(StatusCode.InvalidArgument, asObject.StatusCode);

        var asNull = await CallFailsAsync("RegisterDog", Value.ForNull());
        Assert.Equal(StatusCode.InvalidArgument, asNull.StatusCode);
        Assert.Contains("(name)", asNull.Status.Detail, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task An_argument_the_application_rejects_is_invalid()
    {
        var error = await CallFailsAsync("RegisterDog", Value.ForString(string.Empty));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task A_missing_aggregate_is_not_found()
    {
        var error = await CallFailsAsync("AddTrick", Value.ForString("Nobody"), Value.ForString("sit"));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("not found", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 10, "start must be 0 or more, got -1")]
    [InlineData(1, 0, "limit must be from 1 to 10000, got 0")]
    [InlineData(1, -5, "limit must be from 1 to 10000, got -5")]
    [InlineData(1, 10001, "limit must be from 1 to 10000, got 10001")]
    public async Task Reading_with_a_bad_start_or_limit_is_invalid(long start, int limit, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _school.Client.Log.ReadAsync(new ReadRequest { Start = start, Limit = limit }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Reading_or_subscribing_with_an_unknown_topic_is_invalid()
    {
        var request = new ReadRequest { Start = 1, Limit = 10, Topics = { "no.such:Topic" } };
        var read = await Assert.ThrowsAsync<RpcException>(() => _school.Client.Log.ReadAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, read.StatusCode);
        Assert.Contains("no.such:Topic", read.Status.Detail, StringComparison.Ordinal);

        using var call = _school.Client.Log.Subscribe(new SubscribeRequest { Start = -3 });
        var subscribe = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, subscribe.StatusCode);
    }

    [Fact]
    public async Task Reading_returns_the_notifications_with_their_decoded_state_on_request()
    {
        await _school.Client.Application.CallAsync(new CallRequest { Method = "RegisterDog", Args = new ListValue { Values = { Value.ForString("Billy") } } });

        var response = await _school.Client.Log.ReadAsync(new ReadRequest { Start = 0, Limit = 10, Decode = true });

        var notification = Assert.Single(response.Notifications);
        Assert.Equal(1u, notification.Id);
        Assert.Equal(1u, response.MaxNotificationId);
        Assert.Equal("dogschool:Dog.Registered", notification.Topic);
        Assert.Equal(Examples.DogSchool.Dog.CreateId("Billy").ToString(), notification.OriginatorId);
        Assert.Contains("\"Billy\"", notification.DecodedState, StringComparison.Ordinal);
    }

    private async Task<RpcException> CallFailsAsync(string method, params Value[] args)
    {
        var request = new CallRequest { Method = method, Args = new ListValue() };
        request.Args.Values.AddRange(args);
        return await Assert.ThrowsAsync<RpcException>(() => _school.Client.Application.CallAsync(request).ResponseAsync);
    }

    private async Task AssertStillServingAsync()
    {
        Assert.True(await _school.Client.IsServingAsync());
        var result = await _school.Client.Application.CallAsync(new CallRequest { Method = "RegisterDog", Args = new ListValue { Values = { Value.ForString(Guid.NewGuid().ToString()) } } });
        Assert.Equal(Value.KindOneofCase.StringValue, result.Result.KindCase);
    }
}
