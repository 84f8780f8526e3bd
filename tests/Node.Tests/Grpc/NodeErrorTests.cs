using EventSourcing.Grpc;
using EventSourcing.Grpc.Protocol;
using EventSourcing.Grpc.V1;
using EventSourcing.Examples.DogSchool;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace EventSourcing.Node.Tests.Grpc;

/// <summary>Errors as a client of any language sees them: status code, message, and the rich error details.</summary>
public sealed class NodeErrorTests : IAsyncLifetime
{
    private const string Token = "node-tests-token";
    private InMemoryNode _school = null!;

    public async Task InitializeAsync()
        => _school = await InMemoryNode.StartAsync("DogSchool", new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" }, Token);

    public async Task DisposeAsync() => await _school.DisposeAsync();

    [Fact]
    public async Task An_unknown_method_is_not_found_with_its_reason_and_name()
    {
        var error = await CallFailsAsync("Bark");

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var info = InfoOf(error);
        Assert.Equal(ErrorReasons.MethodNotFound, info.Reason);
        Assert.Equal("Bark", info.Metadata["method"]);
        Assert.Contains("AddTrick, GetDog, RegisterDog", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_argument_of_the_wrong_type_is_a_bad_argument_naming_it()
    {
        var request = new CallRequest { Method = "AddTrick", Args = new ListValue { Values = { Value.ForString("Billy"), Value.ForNumber(7) } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => _school.Client.Application.CallAsync(request, _school.Client.Headers).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(ErrorReasons.BadArguments, InfoOf(error).Reason);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("args[1]", violation.Field);
        Assert.Contains("argument 2 (trick) must be a string, got the number 7", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task A_number_json_cannot_carry_is_a_bad_request_naming_the_args(double number)
    {
        var request = new CallRequest { Method = "AddTrick", Args = new ListValue { Values = { Value.ForString("Billy"), Value.ForNumber(number) } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => _school.Client.Application.CallAsync(request, _school.Client.Headers).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(ErrorReasons.BadRequest, InfoOf(error).Reason);
        Assert.Equal("args", ErrorContract.FieldOf(error));
        Assert.Contains("AddTrick: The number", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_call_still_returns_its_correlation_id()
    {
        var headers = new Metadata { { Correlation.HeaderName, "failed-order-3" } };
        foreach (var entry in _school.Client.Headers ?? [])
        {
            headers.Add(entry);
        }

        using var call = _school.Client.Application.CallAsync(new CallRequest { Method = "Bark", Args = new ListValue() }, headers);

        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal("failed-order-3", (await call.ResponseHeadersAsync).GetValue(Correlation.HeaderName));
    }

    [Theory]
    [InlineData(-1, 10, "start")]
    [InlineData(1, 0, "limit")]
    [InlineData(1, 10001, "limit")]
    public async Task A_bad_read_request_names_the_field(long start, int limit, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _school.Client.Log.ReadAsync(new ReadRequest { Start = start, Limit = limit }, _school.Client.Headers).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(ErrorReasons.BadRequest, InfoOf(error).Reason);
        Assert.Equal(field, ErrorContract.FieldOf(error));
    }

    [Fact]
    public async Task An_unknown_topic_names_its_place_in_the_request()
    {
        var request = new ReadRequest { Start = 1, Limit = 10, Topics = { "dogschool:Dog.Registered", "no.such:Topic" } };

        var error = await Assert.ThrowsAsync<RpcException>(() => _school.Client.Log.ReadAsync(request, _school.Client.Headers).ResponseAsync);

        Assert.Equal(ErrorReasons.BadRequest, InfoOf(error).Reason);
        Assert.Equal("topics[1]", ErrorContract.FieldOf(error));
        Assert.Contains("no.such:Topic", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_aggregate_names_its_id_and_a_proxy_raises_it_again()
    {
        var error = await CallFailsAsync("GetDog", "Nobody");

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var info = InfoOf(error);
        Assert.Equal(ErrorReasons.AggregateNotFound, info.Reason);
        Assert.Equal(Dog.CreateId("Nobody").ToString(), info.Metadata["aggregate_id"]);

        var school = RemoteProxy.Create<IDogSchool>(_school.Client, "DogSchool");
        var raised = await Assert.ThrowsAsync<AggregateNotFoundException>(() => school.GetDogAsync("Nobody"));
        Assert.Equal(Dog.CreateId("Nobody"), raised.AggregateId);
    }

    [Fact]
    public async Task A_second_registration_is_a_version_conflict()
    {
        var school = RemoteProxy.Create<IDogSchool>(_school.Client, "DogSchool");
        await school.RegisterDogAsync("Billy");

        var error = await CallFailsAsync("RegisterDog", "Billy");

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(ErrorReasons.VersionConflict, InfoOf(error).Reason);
        await Assert.ThrowsAsync<ConcurrencyException>(() => school.RegisterDogAsync("Billy"));
    }

    [Fact]
    public async Task A_call_without_the_token_is_unauthenticated_but_health_answers()
    {
        var request = new CallRequest { Method = "GetDog", Args = new ListValue { Values = { Value.ForString("Billy") } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => _school.Client.Application.CallAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(ErrorReasons.Unauthenticated, InfoOf(error).Reason);
        Assert.True(await _school.Client.IsServingAsync());
    }

    private Task<RpcException> CallFailsAsync(string method, params string[] args)
    {
        var request = new CallRequest { Method = method, Args = new ListValue() };
        request.Args.Values.AddRange(args.Select(Value.ForString));
        return Assert.ThrowsAsync<RpcException>(() => _school.Client.Application.CallAsync(request, _school.Client.Headers).ResponseAsync);
    }

    private static ErrorInfo InfoOf(RpcException error)
    {
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(ErrorReasons.Domain, info.Domain);
        return info;
    }
}
