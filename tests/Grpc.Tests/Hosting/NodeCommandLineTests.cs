using EventSourcing.Grpc.Hosting;

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
            Leaders = new Dictionary<string, Uri> { ["DogSchool"] = new("https://127.0.0.2:5001"), ["Game"] = new("http://127.0.0.4:5003") },
            AcceptNewLeaderLogs = ["DogSchool"],
            TlsCertificate = "/etc/node.pem",
            TlsKey = "/etc/node.key",
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
        Assert.Equal(written.Leaders.OrderBy(l => l.Key), read.Leaders.OrderBy(l => l.Key));
        Assert.Equal(["DogSchool"], read.AcceptNewLeaderLogs);
        Assert.Equal(written.TlsCertificate, read.TlsCertificate);
        Assert.Equal(written.TlsKey, read.TlsKey);
        Assert.True(read.Insecure);
        Assert.Equal(PolicyErrorBehaviour.Retry, read.OnPolicyError);
        Assert.Equal(written.MaxBackoff, read.MaxBackoff);
        Assert.Equal(25, read.MaxSubscribers);
        Assert.Equal(4242, read.ParentPid);
    }

    [Fact]
    public void The_token_is_never_written_on_the_command_line()
    {
        var options = new NodeOptions { System = "DogSchool", Application = "DogSchool", Token = "s3cret" };

        Assert.DoesNotContain(NodeCommandLine.Build(options), argument => argument.Contains("s3cret", StringComparison.Ordinal));
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

    [Fact]
    public async Task A_cap_on_subscribers_below_one_is_refused_naming_the_option()
    {
        var error = new StringWriter();
        var console = Console.Error;
        Console.SetError(error);
        try
        {
            var (read, exitCode) = await NodeCommandLine.ParseAsync(["--system", "DogSchool", "--app", "DogSchool", "--max-subscribers", "0"], CancellationToken.None);

            Assert.Null(read);
            Assert.NotEqual(0, exitCode);
        }
        finally
        {
            Console.SetError(console);
        }

        Assert.Contains("--max-subscribers must be 1 or more, got 0", error.ToString(), StringComparison.Ordinal);
    }
}
