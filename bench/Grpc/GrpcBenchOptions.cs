using System.Globalization;

namespace EventSourcing.GrpcBench;

/// <summary>What the gRPC system benchmark was told on its command line.</summary>
internal sealed record GrpcBenchOptions(
    IReadOnlyList<string> Stores,
    IReadOnlyList<int> Sizes,
    IReadOnlyList<int> Clients,
    IReadOnlyList<int> InFlight,
    int Repeat,
    int LogSize,
    TimeSpan RawCommitTime,
    TimeSpan Warmup,
    bool Quick,
    IReadOnlySet<string> Parts)
{
    public static readonly string[] AllStores = ["popo", "sqlite-full", "sqlite-normal", "postgres"];

    /// <summary>
    /// What can be measured, for --only: the raw commit rate, the log drain (Subscribe and Read), the command rate by
    /// aggregate size, the end-to-end runs (with latencies and CPU per command), and the same runs from one client
    /// pipelining its calls on one stream (<c>Application.CallStream</c>).
    /// </summary>
    public static readonly string[] AllParts = ["raw", "log", "aggregates", "e2e", "pipelined"];

    public const string Usage =
        "Usage: EventSourcing.GrpcBench [--quick] [--persistence popo,sqlite-full,sqlite-normal,postgres|sqlite|all] [--sizes 2000,20000] "
        + "[--clients 1,8] [--in-flight 8,64] [--repeat N] [--log-size N] [--raw-seconds S] [--warmup-seconds S] "
        + "[--only raw,log,aggregates,e2e,pipelined]";

    /// <summary>The runs after the warm-up: at least 3 unless --quick.</summary>
    public const int LeastRepeat = 3;

    public static GrpcBenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = args.Where(a => a != "--quick").ToArray();
        for (var i = 0; i < rest.Length; i += 2)
        {
            if (rest[i] is not ("--persistence" or "--sizes" or "--clients" or "--in-flight" or "--repeat" or "--log-size" or "--raw-seconds" or "--warmup-seconds" or "--only"))
            {
                throw new ArgumentException($"Unknown argument '{rest[i]}'. {Usage}");
            }

            if (i + 1 >= rest.Length)
            {
                throw new ArgumentException($"{rest[i]} needs a value. {Usage}");
            }

            values[rest[i]] = rest[i + 1];
        }

        IReadOnlyList<int> Counts(string name, int[] defaultValue)
            => values.TryGetValue(name, out var value)
                ? [.. value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture) is var n && n >= 1 ? n : throw new ArgumentException($"{name} takes positive numbers"))]
                : defaultValue;

        var repeat = Counts("--repeat", [quick ? 1 : LeastRepeat])[0];
        if (!quick && repeat < LeastRepeat)
        {
            throw new ArgumentException($"--repeat must be at least {LeastRepeat} (the median of at least {LeastRepeat} runs), unless --quick");
        }

        return new GrpcBenchOptions(
            ParseStores(values.GetValueOrDefault("--persistence", quick ? "popo,sqlite-normal" : "all")),
            Counts("--sizes", quick ? [500] : [2_000, 20_000]),
            Counts("--clients", [1, 8]),
            Counts("--in-flight", quick ? [8] : [8, 64]),
            repeat,
            Counts("--log-size", [quick ? 20_000 : 100_000])[0],
            Seconds("--raw-seconds", quick ? 1 : 3),
            Seconds("--warmup-seconds", quick ? 5 : 20),
            quick,
            ParseParts(values.GetValueOrDefault("--only", string.Join(',', AllParts))));

        TimeSpan Seconds(string name, double defaultValue)
            => !values.TryGetValue(name, out var value) ? TimeSpan.FromSeconds(defaultValue)
                : double.TryParse(value, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 ? TimeSpan.FromSeconds(seconds)
                : throw new ArgumentException($"{name} takes a number of seconds, not '{value}'");
    }

    private static HashSet<string> ParseParts(string value)
    {
        var parts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in value.Split(','))
        {
            parts.Add(AllParts.Contains(name) ? name : throw new ArgumentException($"--only '{name}' is not one of {string.Join(", ", AllParts)}"));
        }

        return parts;
    }

    private static IReadOnlyList<string> ParseStores(string value)
    {
        List<string> stores = [];
        foreach (var name in value.Split(','))
        {
            IEnumerable<string> named = name switch
            {
                "all" => AllStores,
                "sqlite" => ["sqlite-full", "sqlite-normal"],
                _ when AllStores.Contains(name) => [name],
                _ => throw new ArgumentException($"--persistence '{name}' is not one of {string.Join(", ", AllStores)}, sqlite, all"),
            };
            stores.AddRange(named.Where(s => !stores.Contains(s)));
        }

        return stores;
    }
}
