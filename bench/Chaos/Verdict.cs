using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using Grpc.Core;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Chaos;

/// <summary>Once the chaos is over: what DogSchool logged, what Counters counted, and what the clients were told.</summary>
internal static class Verdict
{
    private static readonly TimeSpan Recovery = TimeSpan.FromMinutes(2);

    public static async Task<int> CheckAsync(NodeClient school, NodeClient counters, Tally tally, Action<string> say)
    {
        using var deadline = new CancellationTokenSource(Recovery);
        var pipe = await CaughtUpAsync(school, counters, say, deadline.Token);
        if (pipe is null)
        {
            return 1;
        }

        var logged = Clients.Tricks.ToDictionary(t => t, _ => 0, StringComparer.Ordinal);
        var dogs = RemoteProxy.Create<IDogSchool>(school, "DogSchool");
        for (var client = 0; ; client++)
        {
            var found = 0;
            for (var dog = 0; dog < Clients.DogsPerClient; dog++)
            {
                try
                {
                    foreach (var trick in (await dogs.GetDogAsync($"client {client} dog {dog}", deadline.Token)).Tricks)
                    {
                        logged[trick]++;
                    }

                    found++;
                }
                catch (AggregateNotFoundException)
                {
                    // Never registered (its client was always cut off first).
                }
            }

            if (found == 0 && client >= tally.Acknowledged.Count)
            {
                break;
            }
        }

        var countersProxy = RemoteProxy.Create<ICounters>(counters, "Counters");
        var ok = true;
        var countedTotal = 0;
        Console.WriteLine($"{"trick",-10} {"acknowledged",12} {"logged",8} {"counted",8}");
        foreach (var trick in Clients.Tricks)
        {
            var acknowledged = tally.Acknowledged.GetValueOrDefault(trick);
            var counted = await countersProxy.GetCountAsync(trick, deadline.Token);
            countedTotal += counted;
            var wrong = counted != logged[trick] || acknowledged > logged[trick];
            ok &= !wrong;
            Console.WriteLine($"{trick,-10} {acknowledged,12} {logged[trick],8} {counted,8}{(wrong ? "  <- WRONG" : string.Empty)}");
        }

        Console.WriteLine($"{"total",-10} {tally.Acknowledged.Values.Sum(),12} {logged.Values.Sum(),8} {countedTotal,8}");
        say(ok
            ? $"OK: every logged trick counted once, every acknowledged one logged; Counters at {pipe.Position} of {pipe.LeaderMaxNotificationId}, {pipe.Reconnects} reconnects"
            : "FAILED: counted and logged differ, or an acknowledged trick is missing");
        return ok ? 0 : 1;
    }

    /// <summary>Counters' pipe once it has processed all DogSchool holds, or null (said why) when it does not recover.</summary>
    private static async Task<Proto.LeaderStatus?> CaughtUpAsync(NodeClient school, NodeClient counters, Action<string> say, CancellationToken cancellationToken)
    {
        var pause = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: false);
        string last = "no answer yet";
        while (true)
        {
            try
            {
                var max = (await school.StatusAsync(cancellationToken)).MaxNotificationId;
                var pipe = (await counters.StatusAsync(cancellationToken)).Leaders.Single();
                if (pipe.State == Proto.PipeState.Failed)
                {
                    say($"FAILED: Counters' pipe stopped: {pipe.LastError}");
                    return null;
                }

                if (pipe.State == Proto.PipeState.Running && pipe.Position == max && pipe.LeaderMaxNotificationId == max)
                {
                    return pipe;
                }

                last = $"Counters at {pipe.Position} of {max}, {pipe.State}";
            }
            catch (Exception ex) when (ex is RpcException or OperationalException && !cancellationToken.IsCancellationRequested)
            {
                last = ex.Message;
            }

            try
            {
                await Task.Delay(pause.Next(), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                say($"FAILED: Counters did not catch up within {Recovery.TotalSeconds:0}s ({last})");
                return null;
            }
        }
    }
}
