using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using EventSourcing.Grpc.V1;
using EventSourcing.Node.Hosting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace EventSourcing.Node.Tests.Grpc;

/// <summary>Who may call a node: every RPC but health checks wants a token; decoded events go only to callers it knows.</summary>
public sealed class NodeAuthenticationTests : InMemoryNodeTests
{
    private const string NewToken = "n3w-token";
    private const string OldToken = "0ld-token";

    [Fact]
    public async Task Without_a_token_every_rpc_but_health_is_refused()
    {
        var school = await StartAsync(options => options with { Tokens = [NewToken, OldToken] });
        var headers = new Metadata();
        var channel = school.Client.Channel;

        await AssertUnauthenticatedAsync(() => school.Client.Application.CallAsync(Request("RegisterDog", "Billy"), headers).ResponseAsync);
        await AssertUnauthenticatedAsync(() => school.Client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10 }, headers).ResponseAsync);
        await AssertUnauthenticatedAsync(async () =>
        {
            using var subscribe = school.Client.Log.Subscribe(new SubscribeRequest { Start = 1 }, headers);
            await subscribe.ResponseStream.MoveNext(CancellationToken.None);
        });
        await AssertUnauthenticatedAsync(() => school.Client.Node.StatusAsync(new StatusRequest(), headers).ResponseAsync);
        await AssertUnauthenticatedAsync(async () =>
        {
            using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(headers);
            await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
            await reflection.RequestStream.CompleteAsync();
            await reflection.ResponseStream.MoveNext(CancellationToken.None);
        });

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), headers);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Each_token_of_the_file_is_accepted_and_any_other_is_refused()
    {
        var school = await StartAsync(options => options with { Tokens = [NewToken, OldToken] });

        foreach (var token in new[] { NewToken, OldToken })
        {
            var registered = await school.Client.Application.CallAsync(Request("RegisterDog", token), BearerToken.Headers(token));
            Assert.NotEmpty(registered.Result.StringValue);
        }

        foreach (var wrong in new[] { "n3w-toke", "n3w-token2", NewToken + OldToken, string.Empty })
        {
            await AssertUnauthenticatedAsync(() => school.Client.Node.StatusAsync(new StatusRequest(), new Metadata { { "authorization", "Bearer " + wrong } }).ResponseAsync);
        }
    }

    [Fact]
    public async Task Decoded_events_are_refused_by_a_node_that_authenticates_nobody_beyond_loopback()
    {
        var school = await StartAsync(options => options with { Listen = new Uri("http://0.0.0.0:5001"), Insecure = true });
        await school.Client.Application.CallAsync(Request("RegisterDog", "Billy"));

        var error = await Assert.ThrowsAsync<RpcException>(
            () => school.Client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10, Decode = true }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(ErrorReasons.DecodeNotPermitted, error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Contains("authenticates no caller", error.Status.Detail, StringComparison.Ordinal);
        var stored = await school.Client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10 });
        Assert.Equal(string.Empty, Assert.Single(stored.Notifications).DecodedState);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5001", true)]
    [InlineData("http://127.0.0.1:5001", false)]
    public async Task Decoded_events_go_to_an_authenticated_caller_or_on_loopback(string listen, bool withToken)
    {
        var school = await StartAsync(options => options with { Listen = new Uri(listen), Tokens = withToken ? [NewToken] : [] });
        var headers = withToken ? BearerToken.Headers(NewToken) : null;
        await school.Client.Application.CallAsync(Request("RegisterDog", "Billy"), headers);

        var page = await school.Client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10, Decode = true }, headers);

        Assert.Contains("Billy", Assert.Single(page.Notifications).DecodedState, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5001", false, null, "give --token-file (or ES_NODE_TOKEN) or --tls-client-ca, or --insecure")]
    [InlineData("https://10.1.2.3:5001", false, null, "TLS encrypts but authenticates no caller")]
    [InlineData("http://127.0.0.1:5001", true, "http://10.1.2.3:5001", "the token would cross the network in cleartext")]
    public void An_unsafe_configuration_is_refused_at_start_saying_why(string listen, bool withToken, string? leader, string expected)
    {
        var options = Options(listen, withToken, clientCa: null, leader);

        var error = Assert.Throws<ConfigurationException>(() => NodeSecurity.Check(options));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        NodeSecurity.Check(options with { Insecure = true });
    }

    [Theory]
    [InlineData("http://0.0.0.0:5001", true, null, null)]
    [InlineData("https://10.1.2.3:5001", false, "/etc/clients-ca.pem", null)]
    [InlineData("http://127.0.0.1:5001", true, null, "https://10.1.2.3:5001")]
    [InlineData("http://127.0.0.1:5001", true, null, "http://127.0.0.2:5001")]
    public void A_safe_configuration_starts(string listen, bool withToken, string? clientCa, string? leader)
        => NodeSecurity.Check(Options(listen, withToken, clientCa, leader));

    [Theory]
    [InlineData("--tls-cert")]
    [InlineData("--tls-client-ca")]
    [InlineData("--tls-ca")]
    public async Task A_file_that_is_not_pem_is_refused_at_start_naming_the_option_and_the_file(string option)
    {
        using var data = new EventSourcing.Testing.TempDirectory();
        await File.WriteAllTextAsync(data.File("not.pem"), "not a certificate");
        var file = data.File("not.pem");
        var options = new NodeOptions { System = "DogSchool", Application = "DogSchool" } switch
        {
            var o when option == "--tls-cert" => o with { TlsCertificate = file, TlsKey = file },
            var o when option == "--tls-client-ca" => o with { TlsClientCa = file },
            var o => o with { TlsCa = file },
        };

        var error = Assert.Throws<ConfigurationException>(() => NodeSecurity.CheckFiles(options));

        Assert.StartsWith($"{option} {file}", error.Message, StringComparison.Ordinal);
    }

    private Task<InMemoryNode> StartAsync(Func<NodeOptions, NodeOptions> configure) => StartAsync(InMemory, configure);

    private static NodeOptions Options(string listen, bool withToken, string? clientCa, string? leader) => new()
    {
        System = "DogSchool",
        Application = leader is null ? "DogSchool" : "Counters",
        Listen = new Uri(listen),
        Tokens = withToken ? [NewToken] : [],
        TlsCertificate = listen.StartsWith("https", StringComparison.Ordinal) ? "/etc/node.pem" : null,
        TlsClientCa = clientCa,
        Leaders = leader is null ? new Dictionary<string, Uri>() : new Dictionary<string, Uri> { ["DogSchool"] = new(leader) },
    };

    private static CallRequest Request(string method, params string[] args)
    {
        var request = new CallRequest { Method = method, Args = new ListValue() };
        request.Args.Values.AddRange(args.Select(Value.ForString));
        return request;
    }

    private static async Task AssertUnauthenticatedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(ErrorReasons.Unauthenticated, error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }
}
