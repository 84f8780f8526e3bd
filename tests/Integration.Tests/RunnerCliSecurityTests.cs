using System.Text;
using EventSourcing.Grpc;
using EventSourcing.Grpc.V1;
using Grpc.Core;

namespace EventSourcing.Integration.Tests;

/// <summary>es-runner running a secured system: a token, TLS, settings from a file, and no secret on any command line.</summary>
public sealed partial class RunnerCliTests
{
    private const string RunnerToken = "runner-t0ken-of-the-test";

    [Fact]
    public async Task Run_with_a_token_file_and_an_env_file_serves_only_callers_with_the_token_and_puts_no_secret_on_a_command_line()
    {
        await File.WriteAllTextAsync(_data.File("token"), RunnerToken + "\n");
        var cipherKey = AesCipher.CreateKey();
        await File.WriteAllLinesAsync(_data.File("settings.env"), ["# the school's secrets", "PERSISTENCE_MODULE=popo", $"export CIPHER_KEY=\"{cipherKey}\""]);
        using var runner = StartRunner("run", "--system", "DogSchool", "--data-dir", _data.Path, "--token-file", _data.File("token"), "--env-file", _data.File("settings.env"));
        var nodes = await NodeLinesAsync(runner, 2);

        using var anonymous = new NodeClient(new Uri(nodes["DogSchool"].Url));
        var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.StatusAsync());
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        using var school = new NodeClient(new Uri(nodes["DogSchool"].Url), RunnerToken);
        await school.Application.CallAsync(TestNode.Request("RegisterDog", "Billy"), school.Headers);
        var stored = await school.Log.ReadAsync(new ReadRequest { Start = 1, Limit = 1 }, school.Headers);
        Assert.DoesNotContain("Billy", Encoding.UTF8.GetString(stored.Notifications.Single().State.Span), StringComparison.Ordinal);

        var (exitCode, status) = await StatusJsonAsync("status", "--system", "DogSchool", "--data-dir", _data.Path, "--token-file", _data.File("token"), "--json", "--interval", "0");
        Assert.Equal(0, exitCode);
        Assert.All(status.GetProperty("nodes").EnumerateArray(), node => Assert.Equal("running", State(node)));

        foreach (var pid in nodes.Values.Select(n => n.Pid).Append(runner.Process.Id))
        {
            var commandLine = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Replace('\0', ' ');
            Assert.DoesNotContain(RunnerToken, commandLine, StringComparison.Ordinal);
            Assert.DoesNotContain(cipherKey, commandLine, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_with_demo_works_with_a_token_from_the_environment()
    {
        var result = await RunToEndAsync(
            new Dictionary<string, string> { ["ES_NODE_TOKEN"] = RunnerToken },
            "run", "--system", "DogSchool", "--demo", "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.Lines, l => l.Contains("roll over", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_with_demo_works_over_tls_with_a_token()
    {
        using var ca = TestCertificates.Authority("CN=runner test CA");
        await TestCertificates.WritePemAsync(ca, _data.File("ca"));
        using var certificate = TestCertificates.Issue(ca, "CN=nodes");
        await TestCertificates.WritePemAsync(certificate, _data.File("node"));
        await File.WriteAllTextAsync(_data.File("token"), RunnerToken + "\n");

        var result = await RunToEndAsync(
            "run", "--system", "DogSchool", "--demo", "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo", "--token-file", _data.File("token"),
            "--tls-cert", _data.File("node.pem"), "--tls-key", _data.File("node.key"), "--tls-ca", _data.File("ca.pem"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.Lines, l => l.StartsWith("node DogSchool", StringComparison.Ordinal) && l.Contains("https://", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.Contains("roll over", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--env", "CIPHER_KEY=c2VjcmV0", "--env CIPHER_KEY=... would put a secret on the command line")]
    [InlineData("--env", "DOGSCHOOL_POSTGRES_PASSWORD=pw", "--env DOGSCHOOL_POSTGRES_PASSWORD=... would put a secret on the command line")]
    [InlineData("--host", "0.0.0.0", "is reachable from other hosts: give --token-file")]
    public async Task Run_refuses_an_unsafe_command_line_saying_why(string option, string value, string expected)
    {
        var result = await RunToEndAsync("run", "--system", "DogSchool", "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo", option, value);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(result.Lines, l => l.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Lines, l => l.StartsWith("node ", StringComparison.Ordinal));
    }
}
