using System.Globalization;

namespace EventSourcing.Subscribers;

/// <summary>What the subscribers benchmark was told on its command line.</summary>
internal sealed record SubscribersOptions(int Subscribers, int Clients, TimeSpan Warmup, TimeSpan Duration, IReadOnlyList<string> Stores)
{
    public const string Usage =
        "Usage: EventSourcing.Subscribers [--subscribers-count N] [--seconds S] [--warmup S] [--clients N] [--persistence sqlite|postgres|all]";

    public static SubscribersOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] is not ("--subscribers-count" or "--seconds" or "--warmup" or "--clients" or "--persistence"))
            {
                throw new ArgumentException($"Unknown argument '{args[i]}'. {Usage}");
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            }

            values[args[i]] = args[i + 1];
        }

        int Count(string name, int defaultValue, int least)
            => values.TryGetValue(name, out var value)
                ? int.Parse(value, CultureInfo.InvariantCulture) is var count && count >= least ? count : throw new ArgumentException($"{name} must be at least {least}")
                : defaultValue;
        TimeSpan Seconds(string name, double defaultValue, bool zeroAllowed)
            => TimeSpan.FromSeconds(values.TryGetValue(name, out var value)
                ? double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) is var seconds && (seconds > 0 || (zeroAllowed && seconds == 0))
                    ? seconds
                    : throw new ArgumentException($"{name} must be {(zeroAllowed ? "zero or more" : "positive")}")
                : defaultValue);

        var persistence = values.GetValueOrDefault("--persistence", "all");
        IReadOnlyList<string> stores = persistence switch
        {
            "sqlite" => ["sqlite"],
            "postgres" => ["postgres"],
            "all" => ["sqlite", "postgres"],
            _ => throw new ArgumentException($"--persistence '{persistence}' is not one of sqlite, postgres, all"),
        };

        return new SubscribersOptions(
            Count("--subscribers-count", 300, 1),
            Count("--clients", 8, 1),
            Seconds("--warmup", 2, zeroAllowed: true),
            Seconds("--seconds", 10, zeroAllowed: false),
            stores);
    }
}
