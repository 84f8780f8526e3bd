using EventSourcing.Grpc.Protocol;
using EventSourcing.Grpc.V1;
using Grpc.Core;

namespace EventSourcing.Node.Tests.Grpc;

/// <summary>Node.Tracking refuses what it cannot answer, naming the field.</summary>
public sealed class TrackingServiceTests : DogSchoolNodeOnSqlite
{
    [Fact]
    public async Task Tracking_of_an_application_the_node_does_not_follow_is_an_invalid_argument_naming_the_leader()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await School.Client.Node.TrackingAsync(new TrackingRequest { Leader = "Counters", Limit = 10 }, School.Client.Headers));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("leader", ErrorContract.FieldOf(error));
        Assert.Equal("DogSchool does not follow 'Counters': it follows no leader", error.Status.Detail);
    }
}
