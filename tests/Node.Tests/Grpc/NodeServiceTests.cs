using EventSourcing.Grpc.V1;

namespace EventSourcing.Node.Tests.Grpc;

/// <summary>Status: what the node hosts, as enums and 64-bit numbers.</summary>
public sealed class NodeServiceTests
{
    [Fact]
    public async Task Status_names_the_application_its_role_state_and_log()
    {
        await using var school = await InMemoryNode.StartAsync("DogSchool", new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });

        var status = await school.Client.StatusAsync();

        Assert.Equal("DogSchool", status.Name);
        Assert.Equal("DogSchool", status.System);
        Assert.Equal(Role.Leader, status.Role);
        Assert.Equal(NodeState.Running, status.State);
        Assert.Equal(0UL, status.MaxNotificationId);
        Assert.Equal((await school.Application.Log.GetLogIdAsync()).ToString(), status.LogId);
        Assert.Empty(status.Leaders);
        Assert.StartsWith("popo", status.Persistence, StringComparison.Ordinal);
    }
}
