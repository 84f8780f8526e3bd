using System.Globalization;
using System.Text.Json;

namespace EventSourcing.Runner.Cli;

/// <summary>A <see cref="SystemStatus"/> as people read it (a table of nodes, edges and paths) and as scripts read it (JSON).</summary>
internal static class StatusReport
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly JsonSerializerOptions OneLine = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The table: a row per node, a row per edge, and a row per path of more than one hop (a path of one hop is its
    /// edge). Unknown values are "-".
    /// </summary>
    public static IReadOnlyList<string> Table(SystemStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var lines = Align(
            ["NODE", "PID", "URL", "MAX_ID", "STATE"],
            status.Nodes.Select(n => new[] { n.Name ?? "?", Number(n.Pid), n.Url, Number(n.MaxNotificationId), State(n.State, n.LastError) }));
        if (status.Edges.Count > 0)
        {
            lines.Add(string.Empty);
            lines.AddRange(Align(
                ["EDGE", "POSITION", "LEADER_MAX", "LAG", "STATE", "NOTIFICATIONS/S"],
                status.Edges.Select(e => new[]
                {
                    $"{e.Leader} -> {e.Follower}", Number(e.Position), Number(e.LeaderMaxNotificationId), Number(e.Lag), State(e.State, e.LastError),
                    e.NotificationsPerSecond?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-",
                })));
        }

        var paths = status.Paths.Where(p => p.Nodes.Count > 2).ToList();
        if (paths.Count > 0)
        {
            lines.Add(string.Empty);
            lines.AddRange(Align(
                ["PATH", "LAG", "STATE"],
                paths.Select(p => new[] { string.Join(" -> ", p.Nodes), Number(p.Lag), p.At is null ? p.State : $"{p.State} at {p.At}" })));
        }

        return lines;
    }

    /// <summary>One JSON document: indented, or on one line (for one line per refresh).</summary>
    public static string Json(SystemStatus status, bool oneLine) => JsonSerializer.Serialize(status, oneLine ? OneLine : Indented);

    /// <summary>The state, with the error beside it when it is not running.</summary>
    private static string State(string state, string? lastError)
        => state == SystemStatus.Running || lastError is null ? state : $"{state}: {lastError}";

    private static string Number<T>(T? value)
        where T : struct, IFormattable
        => value?.ToString(null, CultureInfo.InvariantCulture) ?? "-";

    /// <summary>Columns padded to their widest cell, two spaces apart, the last one not padded.</summary>
    private static List<string> Align(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => all.Max(r => r[i].Length)).ToArray();
        return [.. all.Select(row => string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd())];
    }
}
