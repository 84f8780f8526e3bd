using EventSourcing.Benchmarks;

// Usage: Benchmarks [--events N] [--dogs N] [--gets N] [--repeat N] [--quick]
var events = 100_000;
var repeat = 3;
var dogs = 10_000;
var gets = 20_000;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--events":
            events = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--dogs":
            dogs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--gets":
            gets = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--repeat":
            repeat = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--quick":
            (events, dogs, gets, repeat) = (10_000, 1_000, 2_000, 1);
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: Benchmarks [--events N] [--dogs N] [--gets N] [--repeat N] [--quick]");
            return 2;
    }
}

if (events <= 0 || dogs <= 0 || gets <= 0 || repeat <= 0)
{
    Console.Error.WriteLine("--events, --dogs, --gets and --repeat must be positive");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var popo = new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" };
var loadBefore = Machine.LoadAverage();
List<Result> results = [];
results.AddRange(await ThroughputBenchmark.RunAsync(events, dogs, repeat, cancel.Token));
results.AddRange(await GetLatencyBenchmark.RunAsync(
    "(b) get, cache on", new Dictionary<string, string>(popo) { ["AGGREGATE_CACHE_MAXSIZE"] = "1000" }, 10, 10_000, gets, cancel.Token));
results.AddRange(await GetLatencyBenchmark.RunAsync(
    "(c) get, no cache, snapshots every 100",
    new Dictionary<string, string>(popo)
    {
        ["AGGREGATE_CACHE_MAXSIZE"] = "0",
        ["IS_SNAPSHOTTING_ENABLED"] = "true",
        ["SNAPSHOTTING_INTERVAL"] = "100",
    },
    10,
    10_000,
    gets,
    cancel.Token));
results.AddRange(await GetLatencyBenchmark.RunAsync(
    "    for reference: no cache, no snapshots",
    new Dictionary<string, string>(popo) { ["AGGREGATE_CACHE_MAXSIZE"] = "0" },
    10,
    10_000,
    Math.Max(1, gets / 100),
    cancel.Token));

Console.WriteLine($"Machine: {Machine.Describe()}");
Console.WriteLine($"Persistence: popo (in memory), one process; load average before the run: {loadBefore}");
var width = results.Max(r => r.Measurement.Length);
var valueWidth = results.Max(r => r.Value.Length);
Console.WriteLine($"{"measurement".PadRight(width)} | {"result".PadRight(valueWidth)} | note");
Console.WriteLine($"{new string('-', width)}-|-{new string('-', valueWidth)}-|-{new string('-', 30)}");
foreach (var result in results)
{
    Console.WriteLine($"{result.Measurement.PadRight(width)} | {result.Value.PadRight(valueWidth)} | {result.Note}");
}

return 0;
