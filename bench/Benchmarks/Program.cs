using System.Globalization;
using EventSourcing.Benchmarks;

// Usage: Benchmarks [--persistence popo|sqlite|postgres|all] [--events N] [--dogs N] [--gets N] [--repeat N] [--quick]
const string Usage = "Usage: Benchmarks [--persistence popo|sqlite|postgres|all] [--events N] [--dogs N] [--gets N] [--repeat N] [--quick]";
int? events = null, dogs = null, gets = null, repeat = null;
var quick = false;
var persistence = "popo";
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "--events" or "--dogs" or "--gets" or "--repeat" or "--persistence" && i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"{args[i]} needs a value. {Usage}");
        return 2;
    }

    switch (args[i])
    {
        case "--events":
            events = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--dogs":
            dogs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--gets":
            gets = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--repeat":
            repeat = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--persistence":
            persistence = args[++i];
            break;
        case "--quick":
            quick = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. {Usage}");
            return 2;
    }
}

if (events <= 0 || dogs <= 0 || gets <= 0 || repeat <= 0)
{
    Console.Error.WriteLine("--events, --dogs, --gets and --repeat must be positive");
    return 2;
}

if (persistence is not ("popo" or "sqlite" or "postgres" or "all"))
{
    Console.Error.WriteLine($"--persistence '{persistence}' is not one of popo, sqlite, postgres, all");
    return 2;
}

using var cancel = CtrlC.Cancels();

List<Backend> backends = [];
if (persistence is "popo" or "all")
{
    backends.Add(new PopoBackend());
}

if (persistence is "sqlite" or "all")
{
    backends.Add(new SqliteBackend("FULL"));
    backends.Add(new SqliteBackend("NORMAL"));
}

if (persistence is "postgres" or "all")
{
    try
    {
        backends.Add(await PostgresBackend.ConnectAsync(cancel.Token));
    }
    catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or EventSourcing.ConfigurationException)
    {
        Console.Error.WriteLine($"PostgreSQL: {ex.Message}");
        return 1;
    }
}

List<(Backend Backend, string LoadBefore, List<Result> Results)> sections = [];
foreach (var backend in backends)
{
    var loadBefore = Machine.LoadAverage();
    var results = backend.IsDurable
        ? await DurableBenchmarks.RunAsync(backend, quick, events, dogs, gets, repeat, cancel.Token)
        : await InMemoryBenchmarks.RunAsync(backend, quick, events, dogs, gets, repeat, cancel.Token);
    sections.Add((backend, loadBefore, results));
}

Console.WriteLine($"Machine: {Machine.Describe()}");
foreach (var (backend, loadBefore, results) in sections)
{
    if (sections.Count > 1)
    {
        Console.WriteLine();
    }

    Console.WriteLine($"Persistence: {backend.Description}, one process; load average before the run: {loadBefore}");
    var width = results.Max(r => r.Measurement.Length);
    var valueWidth = results.Max(r => r.Value.Length);
    Console.WriteLine($"{"measurement".PadRight(width)} | {"result".PadRight(valueWidth)} | note");
    Console.WriteLine($"{new string('-', width)}-|-{new string('-', valueWidth)}-|-{new string('-', 30)}");
    foreach (var result in results)
    {
        Console.WriteLine($"{result.Measurement.PadRight(width)} | {result.Value.PadRight(valueWidth)} | {result.Note}");
    }
}

return 0;
