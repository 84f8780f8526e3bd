using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EventSourcing.Grpc;
using EventSourcing.Grpc.V1;
using EventSourcing.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>Nodes protected by a shared token (from a file), by TLS with a self-signed certificate, and by mutual TLS.</summary>
public sealed class NodeSecurityTests(ITestOutputHelper output) : NodeTests(output)
{
    private const string Token = "s3cret-token";

    [Fact]
    public async Task A_node_with_a_token_rejects_calls_without_it_except_health_checks()
    {
        var school = await Nodes.StartAsync("DogSchool", extraArguments: TokenFile());
        using var wrongToken = new NodeClient(school.Url, "not-the-token");

        Assert.True(await school.Client.IsServingAsync());
        foreach (var client in new[] { school.Client, wrongToken })
        {
            await AssertUnauthenticatedAsync(() => client.StatusAsync());
            await AssertUnauthenticatedAsync(() => client.Application.CallAsync(TestNode.Request("RegisterDog", "Rex"), client.Headers).ResponseAsync);
            await AssertUnauthenticatedAsync(() => client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10 }, client.Headers).ResponseAsync);
        }

        Assert.Equal(0u, (await ReadAsync(school.Client.Url)).MaxNotificationId);
    }

    [Fact]
    public async Task A_node_with_a_token_accepts_calls_that_carry_it()
    {
        var school = await Nodes.StartAsync("DogSchool", extraArguments: TokenFile());
        using var client = new NodeClient(school.Url, Token);

        await client.Application.CallAsync(TestNode.Request("RegisterDog", "Rex"), client.Headers);
        await client.Application.CallAsync(TestNode.Request("AddTrick", "Rex", "sit"), client.Headers);

        Assert.Equal(2u, (await client.StatusAsync()).MaxNotificationId);
        Assert.Equal(2, (await ReadAsync(school.Url)).Notifications.Count);
    }

    [Fact]
    public async Task A_follower_with_its_leaders_token_follows_it_and_one_without_is_refused()
    {
        var school = await Nodes.StartAsync("DogSchool", extraArguments: TokenFile());
        var counters = await Nodes.StartAsync("Counters", leaders: [school], extraArguments: TokenFile());
        var outsider = await Nodes.StartAsync("Counters", leaders: [school]);
        using var schoolClient = new NodeClient(school.Url, Token);
        using var countersClient = new NodeClient(counters.Url, Token);

        await schoolClient.Application.CallAsync(TestNode.Request("RegisterDog", "Rex"), schoolClient.Headers);
        await schoolClient.Application.CallAsync(TestNode.Request("AddTrick", "Rex", "sit"), schoolClient.Headers);

        await Eventually.ReturnsAsync(async () => (await countersClient.StatusAsync()).Leaders.Single().Position, p => p >= 2, "Counters to follow");
        var count = await countersClient.Application.CallAsync(TestNode.Request("GetCount", "sit"), countersClient.Headers);
        Assert.Equal(1, count.Result.NumberValue);
        var refused = await Eventually.ReturnsAsync(
            async () => (await outsider.Client.StatusAsync()).Leaders.Single(),
            pipe => pipe.LastError.Contains("Unauthenticated", StringComparison.Ordinal),
            "the follower without the token to be refused");
        Assert.Equal(0u, refused.Position);
    }

    [Fact]
    public async Task A_node_serves_tls_to_clients_and_followers_that_trust_its_certificate()
    {
        using var certificate = SelfSignedCertificate();
        await File.WriteAllTextAsync(Data.File("node.pem"), certificate.ExportCertificatePem());
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(Data.File("node.key"), key.ExportPkcs8PrivateKeyPem());
        }

        var school = await Nodes.StartAsync("DogSchool", extraArguments: ["--tls-cert", Data.File("node.pem"), "--tls-key", Data.File("node.key")], tls: certificate);

        Assert.Equal("https", school.Url.Scheme);
        await school.Client.Application.CallAsync(TestNode.Request("RegisterDog", "Rex"));
        Assert.Equal(1u, (await school.Client.StatusAsync()).MaxNotificationId);

        // A follower trusts the certificate the way any OpenSSL-based program on Linux is told to: SSL_CERT_FILE.
        var trusting = new Dictionary<string, string> { ["SSL_CERT_FILE"] = Data.File("node.pem") };
        var counters = await Nodes.StartAsync("Counters", trusting, leaders: [school]);
        await school.Client.Application.CallAsync(TestNode.Request("AddTrick", "Rex", "sit"));
        await Eventually.ReturnsAsync(async () => (await counters.Client.StatusAsync()).Leaders.Single().Position, p => p >= 2, "Counters to follow over TLS");
        Assert.Equal(1, (await counters.Client.Application.CallAsync(TestNode.Request("GetCount", "sit"))).Result.NumberValue);

        // A client that trusts only the system's roots does not accept the self-signed certificate.
        using var untrusting = new NodeClient(school.Url);
        var error = await Assert.ThrowsAsync<RpcException>(() => untrusting.StatusAsync());
        Assert.Contains(Causes(error), cause => cause is System.Security.Authentication.AuthenticationException);
    }

    [Fact]
    public async Task With_mutual_tls_only_callers_with_a_certificate_of_the_ca_are_served_and_a_follower_presents_its_own()
    {
        using var ca = TestCertificates.Authority("CN=es test CA");
        var school = await StartWithCertificateAsync("DogSchool", ca, extraArguments: ["--tls-client-ca", Data.File("ca.pem")]);
        using var countersCertificate = TestCertificates.Issue(ca, "CN=counters");
        await WritePemAsync(countersCertificate, "counters");
        var counters = await Nodes.StartAsync(
            "Counters",
            leaders: [school],
            extraArguments: ["--tls-cert", Data.File("counters.pem"), "--tls-key", Data.File("counters.key"), "--tls-ca", Data.File("ca.pem"), "--tls-client-ca", Data.File("ca.pem")],
            tls: ca,
            clientCertificate: countersCertificate);

        await school.Client.Application.CallAsync(TestNode.Request("RegisterDog", "Rex"));
        await school.Client.Application.CallAsync(TestNode.Request("AddTrick", "Rex", "sit"));
        await Eventually.ReturnsAsync(async () => (await counters.Client.StatusAsync()).Leaders.Single().Position, p => p >= 2, "Counters to follow over mutual TLS");

        // The same CA trusted, but no certificate presented: the handshake fails, on health checks too.
        using var anonymous = new NodeClient(school.Url, trustedCertificate: ca);
        await Assert.ThrowsAsync<RpcException>(() => anonymous.StatusAsync());
        Assert.False(await anonymous.IsServingAsync());

        // A certificate of another CA is no better.
        using var stranger = TestCertificates.Authority("CN=another CA");
        using var strangerCertificate = TestCertificates.Issue(stranger, "CN=stranger");
        using var impostor = new NodeClient(school.Url, trustedCertificate: ca, clientCertificate: strangerCertificate);
        await Assert.ThrowsAsync<RpcException>(() => impostor.StatusAsync());
    }

    [Fact]
    public async Task A_follower_refuses_a_leader_whose_certificate_another_ca_issued()
    {
        using var ca = TestCertificates.Authority("CN=es test CA");
        var school = await StartWithCertificateAsync("DogSchool", ca, extraArguments: TokenFile());
        using var other = TestCertificates.Authority("CN=the CA the follower trusts");
        await File.WriteAllTextAsync(Data.File("other-ca.pem"), other.ExportCertificatePem());

        var counters = await Nodes.StartAsync("Counters", leaders: [school], extraArguments: [.. TokenFile(), "--tls-ca", Data.File("other-ca.pem")]);
        using var countersClient = new NodeClient(counters.Url, Token);

        var pipe = await Eventually.ReturnsAsync(
            async () => (await countersClient.StatusAsync()).Leaders.Single(),
            p => p.Reconnects > 0 || p.LastError.Length > 0,
            "the follower to fail to connect");
        Assert.Equal(0u, pipe.Position);
        Assert.Contains("SSL", pipe.LastError, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>DogSchool on https with a certificate <paramref name="ca"/> issued for 127.0.0.1, written to node.pem/node.key (and the CA to ca.pem).</summary>
    private async Task<TestNode> StartWithCertificateAsync(string application, X509Certificate2 ca, IEnumerable<string> extraArguments)
    {
        await File.WriteAllTextAsync(Data.File("ca.pem"), ca.ExportCertificatePem());
        using var certificate = TestCertificates.Issue(ca, "CN=" + application.ToLowerInvariant());
        await WritePemAsync(certificate, "node");
        // The test's own client: it outlives this method, with the node's harness.
        return await Nodes.StartAsync(
            application,
            extraArguments: ["--tls-cert", Data.File("node.pem"), "--tls-key", Data.File("node.key"), .. extraArguments],
            tls: ca,
            clientCertificate: TestCertificates.Issue(ca, "CN=test client"));
    }

    private Task WritePemAsync(X509Certificate2 certificate, string name) => TestCertificates.WritePemAsync(certificate, Data.File(name));

    /// <summary>The token in a file of the test's own, as <c>--token-file</c> arguments.</summary>
    private string[] TokenFile()
    {
        File.WriteAllText(Data.File("token"), Token + "\n");
        return ["--token-file", Data.File("token")];
    }

    private static IEnumerable<Exception> Causes(RpcException error)
    {
        for (var cause = error.Status.DebugException; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=es-node test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }

    private static async Task AssertUnauthenticatedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    private static async Task<ReadResponse> ReadAsync(Uri url)
    {
        using var client = new NodeClient(url, Token);
        return await client.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 10 }, client.Headers);
    }
}
