using System.Globalization;
using System.Text.Json;
using EventSourcing.Benchmarks;
using EventSourcing.Subscribers;

// The write rate of a DogSchool node with no subscribers and with many live Subscribe streams, on each store, and
// a check that every stream received every notification once, in order. scripts/bench.sh --subscribers builds
// this in Release (es-node beside it) and runs it; progress goes to stderr, the table and one JSON line per figure
// to stdout. Exit code 1 when a measurement failed: a command failed, or a stream missed or repeated a notification.
SubscribersOptions options;
try
{
    options = SubscribersOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

void Say(string line) => Console.Error.WriteLine($"subscribers: {line}");

using var cancel = CtrlC.Cancels();

List<Store> stores = [];
foreach (var name in options.Stores)
{
    if (name == "sqlite")
    {
        stores.Add(new SqliteStore());
        continue;
    }

    try
    {
        stores.Add(await PostgresStore.ConnectAsync(cancel.Token));
    }
    catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or EventSourcing.ConfigurationException)
    {
        Console.Error.WriteLine($"PostgreSQL: {ex.Message}");
        return 1;
    }
}

var failures = new List<string>();
var sections = new List<(Store Store, string LoadBefore, List<Run> Runs)>();
foreach (var store in stores)
{
    var loadBefore = Machine.LoadAverage();
    var runs = new List<Run>();
    foreach (var count in new[] { 0, options.Subscribers })
    {
        try
        {
            var run = await Measurement.RunAsync(store, count, options, Say, cancel.Token);
            runs.Add(run);
            if (run.Writes.Failed > 0)
            {
                failures.Add($"{store.Name}, {count} subscribers: {run.Writes.Failed} commands failed, the first with {run.Writes.FirstError}");
            }
        }
        catch (BenchmarkException ex)
        {
            Say($"FAILED: {ex.Message}");
            failures.Add(ex.Message);
        }
    }

    sections.Add((store, loadBefore, runs));
}

string Format(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);

Console.WriteLine($"Machine: {Machine.Describe()}");
var json = new List<string>();
foreach (var (store, loadBefore, runs) in sections)
{
    Console.WriteLine();
    Console.WriteLine($"Persistence: {store.Description}; load average before the runs: {loadBefore}");
    Console.WriteLine(
        $"DogSchool es-node (Release), {options.Clients} clients sending AddTrick to a dog each, {options.Warmup.TotalSeconds:0.#}s warm-up, "
        + $"{options.Duration.TotalSeconds:0.#}s measured; subscribers read from notification 1");
    string[] header = ["subscribers", "commands/s", "vs none", "p50 ms", "p99 ms", "failed", "lag at end", "caught up after"];
    var rows = new List<string[]>();
    var baseline = runs.FirstOrDefault(r => r.Subscribers == 0);
    foreach (var count in new[] { 0, options.Subscribers })
    {
        var run = runs.FirstOrDefault(r => r.Subscribers == count);
        if (run is null)
        {
            rows.Add([count.ToString(CultureInfo.InvariantCulture), "failed", "-", "-", "-", "-", "-", "-"]);
            continue;
        }

        double? ratio = count > 0 && baseline is { Writes.Rate: > 0 } ? run.Writes.Rate / baseline.Writes.Rate : null;
        rows.Add(
        [
            count.ToString(CultureInfo.InvariantCulture),
            Format(run.Writes.Rate, "0"),
            ratio is { } r ? Format(r, "0.00") : "-",
            Format(run.Writes.Percentile(50), "0.0"),
            Format(run.Writes.Percentile(99), "0.0"),
            run.Writes.Failed.ToString(CultureInfo.InvariantCulture),
            count == 0 ? "-" : $"{run.LagAtEnd} of {run.MaxNotificationId}",
            count == 0 ? "-" : $"{Format(run.CatchUp.TotalSeconds, "0.00")}s",
        ]);

        var suffix = count == 0 ? "no_subscribers" : "with_subscribers";
        json.Add(count == 0
            ? JsonSerializer.Serialize(new { name = $"write_rate_{suffix}", store = store.Name, subscribers = count, value = Math.Round(run.Writes.Rate), unit = "commands/s" })
            : JsonSerializer.Serialize(new
            {
                name = $"write_rate_{suffix}",
                store = store.Name,
                subscribers = count,
                value = Math.Round(run.Writes.Rate),
                unit = "commands/s",
                ratio = ratio is { } x ? Math.Round(x, 2) : (double?)null,
                ratio_to = "no_subscribers",
            }));
        if (run.Writes.LatenciesMs.Count > 0)
        {
            json.Add(JsonSerializer.Serialize(new { name = $"command_latency_p99_{suffix}", store = store.Name, subscribers = count, value = Math.Round(run.Writes.Percentile(99), 1), unit = "ms" }));
        }

        if (count > 0)
        {
            json.Add(JsonSerializer.Serialize(new { name = "subscribers_caught_up_after_writes", store = store.Name, subscribers = count, value = Math.Round(run.CatchUp.TotalSeconds, 2), unit = "s" }));
        }
    }

    TextTable.Write(header, rows, Console.Out);
}

Console.WriteLine();
foreach (var line in json)
{
    Console.WriteLine(line);
}

if (failures.Count > 0)
{
    Console.Error.WriteLine($"subscribers: FAILED ({failures.Count}):");
    foreach (var failure in failures)
    {
        Console.Error.WriteLine($"  {failure}");
    }

    return 1;
}

return 0;
