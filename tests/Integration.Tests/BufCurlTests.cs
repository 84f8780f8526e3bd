using System.Text.Json;
using EventSourcing.Testing;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>A node as a person queries it with <c>buf curl</c> (installed by scripts/install-tools.sh): reflection, log, calls, health.</summary>
public sealed class BufCurlTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly NodeHarness _nodes = new(output);
    private string _buf = string.Empty;

    public async Task InitializeAsync()
    {
        var install = await Commands.RunAsync("bash", [Path.Combine(Commands.RepositoryRoot(), "scripts", "install-tools.sh")]);
        Assert.True(install.ExitCode == 0, "scripts/install-tools.sh failed: " + install.Error);
        _buf = install.Output.Trim();
    }

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task Buf_curl_lists_the_services_reads_the_log_calls_methods_and_checks_health()
    {
        var school = await _nodes.StartAsync("DogSchool", new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
        var counters = await _nodes.StartAsync("Counters", new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" }, leaders: [school]);

        var methods = await CurlAsync("--list-methods", school.Address);
        foreach (var method in new[] { "eventsourcing.v1.NotificationLog/Read", "eventsourcing.v1.NotificationLog/Subscribe", "eventsourcing.v1.Application/Call", "eventsourcing.v1.Node/Status", "grpc.health.v1.Health/Check" })
        {
            Assert.Contains(method, methods, StringComparison.Ordinal);
        }

        using var registered = JsonDocument.Parse(await CurlAsync("-d", """{"method":"RegisterDog","args":["Billy"]}""", $"{school.Address}/eventsourcing.v1.Application/Call"));
        Assert.Equal("ee4f99b5-a356-54a9-b61a-13b59c26f3fb", registered.RootElement.GetProperty("result").GetString());
        await CurlAsync("-d", """{"method":"AddTrick","args":["Billy","roll over"]}""", $"{school.Address}/eventsourcing.v1.Application/Call");

        using var log = JsonDocument.Parse(await CurlAsync("-d", """{"start":1,"limit":10,"decode":true}""", $"{school.Address}/eventsourcing.v1.NotificationLog/Read"));
        var notifications = log.RootElement.GetProperty("notifications");
        Assert.Equal(2, notifications.GetArrayLength());
        // 64-bit ids: proto3 JSON writes them as strings.
        Assert.Equal("2", notifications[1].GetProperty("id").GetString());
        Assert.Equal("2", log.RootElement.GetProperty("maxNotificationId").GetString());
        Assert.Equal("dogschool:Dog.TrickAdded", notifications[1].GetProperty("topic").GetString());
        Assert.Contains("roll over", notifications[1].GetProperty("decodedState").GetString(), StringComparison.Ordinal);

        await Eventually.ReturnsAsync(async () => (await counters.Client.StatusAsync()).Leaders.Single().Position, p => p >= 2, "Counters to catch up");
        using var count = JsonDocument.Parse(await CurlAsync("-d", """{"method":"GetCount","args":["roll over"]}""", $"{counters.Address}/eventsourcing.v1.Application/Call"));
        Assert.Equal(1, count.RootElement.GetProperty("result").GetInt32());

        using var status = JsonDocument.Parse(await CurlAsync($"{counters.Address}/eventsourcing.v1.Node/Status"));
        Assert.Equal("Counters", status.RootElement.GetProperty("name").GetString());
        Assert.Equal("ROLE_FOLLOWER", status.RootElement.GetProperty("role").GetString());
        Assert.Equal("2", status.RootElement.GetProperty("leaders")[0].GetProperty("position").GetString());
        Assert.Equal("PIPE_STATE_RUNNING", status.RootElement.GetProperty("leaders")[0].GetProperty("state").GetString());

        using var health = JsonDocument.Parse(await CurlAsync($"{school.Address}/grpc.health.v1.Health/Check"));
        Assert.Equal("SERVING", health.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Buf_curl_sends_many_calls_on_one_call_stream_and_gets_each_answer_with_its_id()
    {
        var school = await _nodes.StartAsync("DogSchool", new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
        using var data = new TempDirectory();
        var requests = data.File("requests.json");
        // No failing call: buf curl cannot print an error's details on a stream (it does not look up the types of
        // google.protobuf.Any by reflection, as grpcurl does); the C# tests cover failing calls.
        await File.WriteAllTextAsync(requests, """
            {"id": 1, "method": "RegisterDog", "args": ["Rex"]}
            {"id": 2, "method": "RegisterDog", "args": ["Bella"]}
            {"id": 3, "method": "RegisterDog", "args": ["Fido"], "correlationId": "import-7"}
            """);

        var printed = await CurlAsync("-d", "@" + requests, $"{school.Address}/eventsourcing.v1.Application/CallStream");

        // One JSON object per answer, in the order the calls finished.
        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(printed), new JsonReaderOptions { AllowMultipleValues = true });
        output.WriteLine(printed);
        while (reader.Read())
        {
            using var answer = JsonDocument.ParseValue(ref reader);
            answers[answer.RootElement.GetProperty("id").GetString()!] = answer.RootElement.Clone();
        }

        Assert.Equal(["1", "2", "3"], answers.Keys.Order(StringComparer.Ordinal));
        Assert.True(Guid.TryParse(answers["1"].GetProperty("result").GetString(), out _), answers["1"].ToString());
        Assert.True(Guid.TryParse(answers["2"].GetProperty("result").GetString(), out _), answers["2"].ToString());
        Assert.Equal("import-7", answers["3"].GetProperty("correlationId").GetString());
    }

    private async Task<string> CurlAsync(params string[] args)
    {
        var result = await Commands.RunAsync(_buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", .. args]);
        Assert.True(result.ExitCode == 0, $"buf curl {string.Join(' ', args)} failed: {result.Error}{result.Output}");
        return result.Output;
    }
}
