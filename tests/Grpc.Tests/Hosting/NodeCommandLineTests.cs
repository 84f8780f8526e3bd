using EventSourcing.Grpc.Hosting;
using EventSourcing.Testing;

namespace EventSourcing.Grpc.Tests.Hosting;

/// <summary>es-node's command line, as a runner writes it and a node reads it.</summary>
public class NodeCommandLineTests
{
    [Fact]
    public async Task A_node_reads_back_every_option_a_runner_writes()
    {
        var written = new NodeOptions
        {
            System = "DogSchool",
            Application = "Counters",
            Listen = new Uri("https://127.0.0.3:5002"),
            HealthListen = new Uri("http://0.0.0.0:8081"),
            Metrics = new Uri("http://0.0.0.0:9464"),
            Otlp = true,
            Leaders = new Dictionary<string, Uri> { ["DogSchool"] = new("https://127.0.0.2:5001"), ["Game"] = new("http://127.0.0.4:5003") },
            AcceptNewLeaderLogs = ["DogSchool"],
            TokenFile = null,
            TlsCertificate = "/etc/node.pem",
            TlsKey = "/etc/node.key",
            TlsClientCa = "/etc/clients-ca.pem",
            TlsCa = "/etc/leaders-ca.pem",
            Insecure = true,
            OnPolicyError = PolicyErrorBehaviour.Retry,
            MaxBackoff = TimeSpan.FromSeconds(2.5),
            MaxSubscribers = 25,
            ParentPid = 4242,
        };

        var (read, exitCode) = await NodeCommandLine.ParseAsync([.. NodeCommandLine.Build(written)], CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.NotNull(read);
        Assert.Equal(written.System, read.System);
        Assert.Equal(written.Application, read.Application);
        Assert.Equal(written.Listen, read.Listen);
        Assert.Equal(written.HealthListen, read.HealthListen);
        Assert.Equal(written.Metrics, read.Metrics);
        Assert.True(read.Otlp);
        Assert.Equal(written.Leaders.OrderBy(l => l.Key), read.Leaders.OrderBy(l => l.Key));
        Assert.Equal(["DogSchool"], read.AcceptNewLeaderLogs);
        Assert.Equal(written.TlsCertificate, read.TlsCertificate);
        Assert.Equal(written.TlsKey, read.TlsKey);
        Assert.Equal(written.TlsClientCa, read.TlsClientCa);
        Assert.Equal(written.TlsCa, read.TlsCa);
        Assert.True(read.Insecure);
        Assert.Equal(PolicyErrorBehaviour.Retry, read.OnPolicyError);
        Assert.Equal(written.MaxBackoff, read.MaxBackoff);
        Assert.Equal(25, read.MaxSubscribers);
        Assert.Equal(4242, read.ParentPid);
    }

    [Fact]
    public async Task Metrics_are_off_unless_asked_for_and_metrics_alone_serves_them_on_loopback_port_9464()
    {
        var (without, _) = await NodeCommandLine.ParseAsync(["--system", "DogSchool", "--app", "DogSchool"], CancellationToken.None);
        var (alone, _) = await NodeCommandLine.ParseAsync(["--system", "DogSchool", "--metrics", "--app", "DogSchool"], CancellationToken.None);

        Assert.Null(without!.Metrics);
        Assert.False(without.Otlp);
        Assert.Equal(new Uri("http://127.0.0.1:9464"), alone!.Metrics);
    }

    [Fact]
    public void The_tokens_are_never_written_on_the_command_line_only_their_file()
    {
        var options = new NodeOptions { System = "DogSchool", Application = "DogSchool", Tokens = ["s3cret", "0ld"], TokenFile = "/run/secrets/es-token" };

        var arguments = NodeCommandLine.Build(options);

        Assert.DoesNotContain(arguments, argument => argument.Contains("s3cret", StringComparison.Ordinal) || argument.Contains("0ld", StringComparison.Ordinal));
        Assert.Equal("/run/secrets/es-token", arguments[arguments.ToList().IndexOf("--token-file") + 1]);
    }

    [Fact]
    public async Task A_token_file_gives_every_token_in_it_the_first_first()
    {
        using var data = new TempDirectory();
        await File.WriteAllLinesAsync(data.File("tokens"), ["# the new token first, the old one until every client has the new", "n3w-token", "", "  0ld-token  "]);

        var (read, _) = await NodeCommandLine.ParseAsync(["--system", "DogSchool", "--app", "DogSchool", "--token-file", data.File("tokens")], CancellationToken.None);

        Assert.Equal(["n3w-token", "0ld-token"], read!.Tokens);
        Assert.Equal("n3w-token", read.Token);
        Assert.Equal(data.File("tokens"), read.TokenFile);
    }

    [Theory]
    [InlineData(new string[0], "holds no token")]
    [InlineData(new[] { "# only a comment" }, "holds no token")]
    [InlineData(new[] { "two words" }, "line 1: a token has no white space in it")]
    public async Task A_token_file_without_a_usable_token_is_an_error_naming_it(string[] lines, string expected)
    {
        using var data = new TempDirectory();
        await File.WriteAllLinesAsync(data.File("tokens"), lines);

        var error = await Assert.ThrowsAsync<ConfigurationException>(
            () => NodeCommandLine.ParseAsync(["--system", "DogSchool", "--app", "DogSchool", "--token-file", data.File("tokens")], CancellationToken.None));

        Assert.Contains(data.File("tokens"), error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_token_file_is_an_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(
            () => NodeCommandLine.ParseAsync(["--system", "DogSchool", "--app", "DogSchool", "--token-file", "/no/such/tokens"], CancellationToken.None));

        Assert.StartsWith("Token file /no/such/tokens cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_not_written()
    {
        var arguments = NodeCommandLine.Build(new NodeOptions { System = "DogSchool", Application = "DogSchool", Listen = new Uri("http://127.0.0.1:5001") });

        Assert.Equal(["--system", "DogSchool", "--app", "DogSchool", "--listen", "http://127.0.0.1:5001"], arguments);
    }

    [Theory]
    [InlineData("--leader", "DogSchool", "--leader 'DogSchool' is not NAME=URL")]
    [InlineData("--leader", "DogSchool=ftp://host:1", "--leader 'DogSchool=ftp://host:1' is not NAME=URL")]
    [InlineData("--listen", "127.0.0.1:5001", "--listen '127.0.0.1:5001' is not http://HOST:PORT")]
    public async Task A_bad_address_is_an_error_naming_the_option(string option, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(
            () => NodeCommandLine.ParseAsync(["--system", "DogSchool", "--app", "Counters", option, value], CancellationToken.None));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-subscribers", "0", "--max-subscribers must be 1 or more, got 0")]
    [InlineData("--token", "s3cret", "--token is not accepted: a secret on a command line is readable by every local user")]
    public async Task A_refused_option_stops_the_parse_with_a_message_naming_it(string option, string value, string expected)
    {
        var error = new StringWriter();
        var console = Console.Error;
        Console.SetError(error);
        try
        {
            var (read, exitCode) = await NodeCommandLine.ParseAsync(["--system", "DogSchool", "--app", "DogSchool", option, value], CancellationToken.None);

            Assert.Null(read);
            Assert.NotEqual(0, exitCode);
        }
        finally
        {
            Console.SetError(console);
        }

        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }
}
