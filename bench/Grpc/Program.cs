using EventSourcing.Benchmarks;
using EventSourcing.GrpcBench;

// The DogSchool -> Counters system launched with the runner CLI (each application its own es-node), driven through
// the protos, on each store: end-to-end rate, command and command-to-processed latency, Subscribe and Read rates,
// each node's peak RSS and the time to healthy; with the store's raw single-row commit rate and the in-process
// multi-threaded runner on the same workload, so that every figure is also a ratio. scripts/bench.sh --grpc builds
// this in Release (es-runner and es-node in es-runner-tool/ beside it, ReadyToRun on linux-x64) and runs it; progress
// goes to stderr, the table and one JSON line per figure to stdout. Exit code 1 when a measurement failed.
GrpcBenchOptions options;
try
{
    options = GrpcBenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

void Say(string line) => Console.Error.WriteLine($"grpc: {line}");

using var cancel = CtrlC.Cancels();

PostgresServer? postgres = null;
async Task<PostgresServer> PostgresAsync(CancellationToken cancellationToken) => postgres ??= await PostgresServer.ConnectAsync(cancellationToken);

var figures = new List<Figure>();
var descriptions = new List<string>();
var failures = new List<string>();
foreach (var name in options.Stores)
{
    try
    {
        var store = await Store.CreateAsync(name, PostgresAsync, cancel.Token);
        descriptions.Add($"{name}: {store.Backend.Description}; load average before: {Machine.LoadAverage()}");
        figures.AddRange(await StoreFigures.MeasureAsync(store, options, Say, cancel.Token));
    }
    catch (Exception ex) when (ex is BenchmarkException or InvalidOperationException or Npgsql.NpgsqlException or EventSourcing.EventSourcingException or Grpc.Core.RpcException)
    {
        Say($"FAILED on {name}: {ex.Message}");
        failures.Add($"{name}: {ex.Message}");
    }
}

Console.WriteLine($"Machine: {Machine.Describe()}; load average after: {Machine.LoadAverage()}");
Console.WriteLine(
    $"DogSchool -> Counters launched with es-runner (Release), driven over gRPC: N dogs registered and one AddTrick each (10 trick names), 2N notifications; "
    + $"each figure the median of {options.Repeat} run(s) after discarded warm-up runs of the same size (for at least {options.Warmup.TotalSeconds:0} s)"
    + (options.Quick ? $"; --quick: {string.Join(", ", options.Stores)} only, N = {string.Join(", ", options.Sizes)}, a log of {options.LogSize:N0}, fewer repeats than the figures need" : string.Empty));
foreach (var description in descriptions)
{
    Console.WriteLine($"  {description}");
}

Console.WriteLine();
Figure.WriteTable(figures, Console.Out);
Console.WriteLine();
foreach (var figure in figures)
{
    Console.WriteLine(figure.ToJson());
}

if (failures.Count > 0)
{
    Console.Error.WriteLine($"grpc: FAILED ({failures.Count}):");
    foreach (var failure in failures)
    {
        Console.Error.WriteLine($"  {failure}");
    }

    return 1;
}

return 0;
