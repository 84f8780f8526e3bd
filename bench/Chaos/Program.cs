using EventSourcing.Chaos;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;

// Sends commands to a running DogSchool -> Counters system from several clients while nodes are killed (and the
// database crashes), then checks what was acknowledged, logged and counted. Exit code 0 only when every trick
// DogSchool logged is counted exactly once, every acknowledged trick is logged, and Counters' pipe is running.
// scripts/chaos.sh starts the system and runs this.
ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

void Say(string line) => Console.Error.WriteLine($"chaos: {line}");

using var school = new NodeClient(options.School);
using var counters = new NodeClient(options.Counters);
var tally = new Tally();
var monkey = new Monkey([school, counters], options, Say);
using (var stopping = new CancellationTokenSource(options.Duration))
{
    Say($"{options.Clients} clients{(options.Pipelined ? " on one call stream" : string.Empty)} for {options.Duration.TotalSeconds:0}s, a node killed every ~{options.KillEvery.TotalSeconds:0}s"
        + (options.PostgresDirectory is null ? string.Empty : $", the database crashed every ~{options.RestartDatabaseEvery.TotalSeconds:0}s"));
    await using var calls = options.Pipelined ? new RemoteCallStream(school, "DogSchool") : null;
    var proxy = calls is null ? RemoteProxy.Create<IDogSchool>(school, "DogSchool") : RemoteProxy.Create<IDogSchool>(calls);
    var clients = Enumerable.Range(0, options.Clients).Select(i => Task.Run(() => Clients.RunAsync(proxy, i, tally, stopping.Token))).ToList();
    await Task.WhenAll([.. clients, monkey.RunAsync(stopping.Token)]);
}

Say($"{tally.Acknowledged.Values.Sum()} commands acknowledged, {tally.Failed} failed; {monkey.Kills} nodes killed, {monkey.DatabaseRestarts} database crashes; waiting for Counters to catch up");
return await Verdict.CheckAsync(school, counters, tally, Say);
