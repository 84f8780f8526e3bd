using System.Text.Json;
using EventSourcing.Grpc.Protocol;

namespace EventSourcing.Runner.Cli;

/// <summary>What a running <c>es-runner run</c> leaves in its data directory, so that <c>status --system</c> finds its nodes.</summary>
internal sealed record RunnerState(string System, int Pid, IReadOnlyList<RunnerState.Node> Nodes)
{
    public static string PathFor(string dataDirectory, string system)
        => Path.Combine(dataDirectory, $"runner-{system.ToLowerInvariant()}.json");

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(this, RemoteJson.Options), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public static async Task<RunnerState?> ReadAsync(string path, CancellationToken cancellationToken)
        => File.Exists(path)
            ? JsonSerializer.Deserialize<RunnerState>(await File.ReadAllTextAsync(path, cancellationToken), RemoteJson.Options)
            : null;

    /// <summary>A node, and the names of the nodes it follows (null in the state of an older runner).</summary>
    public sealed record Node(string Name, int Pid, string Url, IReadOnlyList<string>? Leaders);
}
