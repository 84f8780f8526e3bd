using System.Globalization;

namespace EventSourcing.Chaos;

/// <summary>What the chaos run was told on its command line.</summary>
/// <param name="Pipelined">The clients share one <c>RemoteCallStream</c> instead of making unary calls.</param>
internal sealed record ChaosOptions(
    Uri School, Uri Counters, TimeSpan Duration, int Clients, TimeSpan KillEvery, string? PostgresDirectory, TimeSpan RestartDatabaseEvery, bool Pipelined)
{
    public const string Usage =
        "Usage: EventSourcing.Chaos --school URL --counters URL [--seconds S] [--clients N] [--kill-every SECONDS] "
        + "[--postgres-dir DIR [--restart-database-every SECONDS]] [--pipelined]";

    public static ChaosOptions Parse(string[] args)
    {
        var pipelined = args.Contains("--pipelined");
        args = [.. args.Where(a => a != "--pipelined")];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"'{args[i]}' needs a value. {Usage}");
            }

            values[args[i]] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"{name} is required. {Usage}");
        double Seconds(string name, double defaultValue)
            => values.TryGetValue(name, out var value)
                ? double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) is var seconds and > 0 ? seconds : throw new ArgumentException($"{name} must be positive")
                : defaultValue;

        return new ChaosOptions(
            new Uri(Required("--school")),
            new Uri(Required("--counters")),
            TimeSpan.FromSeconds(Seconds("--seconds", 60)),
            values.TryGetValue("--clients", out var clients) ? int.Parse(clients, CultureInfo.InvariantCulture) : 8,
            TimeSpan.FromSeconds(Seconds("--kill-every", 3)),
            values.GetValueOrDefault("--postgres-dir"),
            TimeSpan.FromSeconds(Seconds("--restart-database-every", 12)),
            pipelined);
    }
}
