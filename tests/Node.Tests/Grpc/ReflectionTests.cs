using Grpc.Reflection.V1Alpha;

namespace EventSourcing.Node.Tests.Grpc;

/// <summary>Server reflection, which grpcurl uses to encode requests and decode responses and error details.</summary>
public sealed class ReflectionTests
{
    [Theory]
    [InlineData("eventsourcing.v1.NotificationLog")]
    [InlineData("google.rpc.ErrorInfo")]
    [InlineData("google.rpc.BadRequest")]
    public async Task Reflection_describes_the_services_and_the_error_details(string symbol)
    {
        await using var school = await InMemoryNode.StartAsync("DogSchool", new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
        var reflection = new ServerReflection.ServerReflectionClient(school.Client.Channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = symbol });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var response = call.ResponseStream.Current;
        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, response.MessageResponseCase);
        Assert.NotEmpty(response.FileDescriptorResponse.FileDescriptorProto);
    }
}
