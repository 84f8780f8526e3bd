using System.Text.Json;
using EventSourcing.Grpc.Protocol;
using EventSourcing.Grpc.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EventSourcing.Node.Tests.Grpc;

/// <summary>A command's correlation id over gRPC, and the events' metadata as Read and Subscribe return it.</summary>
public sealed class EventMetadataServiceTests : DogSchoolNodeOnSqlite
{
    [Fact]
    public async Task A_call_records_the_correlation_id_of_its_header_and_read_with_decode_shows_the_metadata_as_json()
    {
        var call = CallAsync("RegisterDog", "order-17", "Billy");
        var headers = await call.ResponseHeadersAsync;
        await call;

        var page = await School.Client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10, Decode = true }, School.Client.Headers);
        var notification = Assert.Single(page.Notifications);
        Assert.Equal("order-17", headers.GetValue(Correlation.HeaderName));
        Assert.False(notification.Metadata.IsEmpty);
        using var decoded = JsonDocument.Parse(notification.DecodedMetadata);
        Assert.Equal("order-17", decoded.RootElement.GetProperty("correlation_id").GetString());
        Assert.False(decoded.RootElement.TryGetProperty("causation", out _));
    }

    [Fact]
    public async Task A_call_without_a_correlation_id_gets_a_new_one_in_its_response_headers_and_its_events()
    {
        var call = CallAsync("RegisterDog", correlationId: null, "Billy");
        var given = (await call.ResponseHeadersAsync).GetValue(Correlation.HeaderName);
        await call;

        Assert.True(Guid.TryParse(given, out _), given);
        using var stream = School.Client.Log.Subscribe(new SubscribeRequest { Start = 1 }, School.Client.Headers);
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
        var notification = NotificationMapping.FromProto(Assert.Single(stream.ResponseStream.Current.Notifications));
        Assert.Equal(given, School.Application.Mapper.DecodeMetadata(notification.Metadata)?.CorrelationId);
    }

    [Fact]
    public async Task A_correlation_id_that_is_too_long_is_an_invalid_argument_naming_the_header()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await CallAsync("RegisterDog", new string('x', Correlation.MaxLength + 1), "Billy"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(Correlation.HeaderName, ErrorContract.FieldOf(error));
        Assert.Contains(Correlation.HeaderName, error.Status.Detail, StringComparison.Ordinal);
    }

    private AsyncUnaryCall<CallResponse> CallAsync(string method, string? correlationId, params string[] args)
    {
        var headers = new Metadata();
        foreach (var entry in School.Client.Headers ?? [])
        {
            headers.Add(entry);
        }

        if (correlationId is not null)
        {
            headers.Add(Correlation.HeaderName, correlationId);
        }

        var request = new CallRequest { Method = method, Args = new ListValue { Values = { args.Select(Value.ForString) } } };
        return School.Client.Application.CallAsync(request, headers);
    }
}
