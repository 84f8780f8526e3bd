using System.Diagnostics;
using System.Globalization;
using EventSourcing.Grpc;

namespace EventSourcing.Subscribers;

/// <summary>One measured run: the writers' figures, and how the subscribers kept up.</summary>
internal sealed record Run(string Store, int Subscribers, WriteTally Writes, long MaxNotificationId, long LagAtEnd, TimeSpan CatchUp);

/// <summary>
/// A fresh node and database; <c>subscribers</c> Subscribe streams from the start of the log, each holding its first
/// frame before the writers start and reading frames throughout; the writers for the warm-up and the window; then
/// every stream must receive every notification the log holds, once and in order.
/// </summary>
internal static class Measurement
{
    /// <summary>The default of es-node's <c>--max-subscribers</c>: more streams than this need the option.</summary>
    public const int NodeDefaultMaxSubscribers = 1000;

    // Kestrel allows 100 concurrent streams per HTTP/2 connection by default: each channel (a connection of its own)
    // carries fewer.
    private const int StreamsPerChannel = 75;

    private static readonly TimeSpan FirstFrameDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CatchUpDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);

    public static async Task<Run> RunAsync(Store store, int subscriberCount, SubscribersOptions options, Action<string> say, CancellationToken cancellationToken)
    {
        var what = $"{store.Name}, {subscriberCount} subscribers";
        await using var scope = await store.OpenAsync(cancellationToken);
        IReadOnlyList<string> arguments = subscriberCount > NodeDefaultMaxSubscribers
            ? ["--max-subscribers", subscriberCount.ToString(CultureInfo.InvariantCulture)]
            : [];
        await using var node = await MeasuredNode.StartAsync(scope.Environment, arguments, cancellationToken);
        using var writer = new NodeClient(node.Url);
        await Writers.RegisterAsync(writer, options.Clients, cancellationToken);

        var channels = Enumerable.Range(0, (subscriberCount + StreamsPerChannel - 1) / StreamsPerChannel).Select(_ => new NodeClient(node.Url)).ToList();
        using var changed = new SemaphoreSlim(0);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var subscribers = Enumerable.Range(0, subscriberCount).Select(i => new Subscriber(i, channels[i % channels.Count], changed)).ToList();
        try
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Start(stopping.Token);
            }

            if (!await UntilAsync(subscribers, s => s.Frames > 0, changed, FirstFrameDeadline, cancellationToken))
            {
                throw new BenchmarkException($"{what}: {subscribers.Count(s => s.Frames > 0)} of {subscriberCount} subscribers had their first frame after {FirstFrameDeadline.TotalSeconds:0}s{Problems(subscribers)}");
            }

            CheckNoneFailed(what, subscribers);
            say($"{what}: {(subscriberCount == 0 ? "no streams" : "every stream has its first frame")}; {options.Clients} clients write for {options.Warmup.TotalSeconds:0.#}s of warm-up and {options.Duration.TotalSeconds:0.#}s measured");

            var acknowledged = 0L;
            using var progressStop = new CancellationTokenSource();
            var progress = ProgressAsync(what, subscribers, () => Interlocked.Read(ref acknowledged), say, progressStop.Token);
            var writes = await Writers.RunAsync(writer, options.Clients, options.Warmup, options.Duration, n => Interlocked.Add(ref acknowledged, n), cancellationToken);
            await progressStop.CancelAsync();
            await progress;

            var max = (long)(await node.Client.StatusAsync(cancellationToken)).MaxNotificationId;
            var lagAtEnd = subscriberCount == 0 ? 0 : max - subscribers.Min(s => s.Last);
            say($"{what}: {writes.Acknowledged} commands acknowledged, {writes.Failed} failed; the log ends at {max}"
                + (subscriberCount == 0 ? string.Empty : $"; the slowest subscriber is {lagAtEnd} behind"));
            if (writes.Failed == 0 && max != options.Clients + writes.Acknowledged)
            {
                throw new BenchmarkException($"{what}: the log ends at {max}, but {options.Clients} dogs were registered and {writes.Acknowledged} tricks added");
            }

            var clock = Stopwatch.StartNew();
            foreach (var subscriber in subscribers)
            {
                subscriber.Aim(max);
            }

            var caughtUp = await UntilAsync(subscribers, s => s.Last >= max, changed, CatchUpDeadline, cancellationToken);
            var catchUp = clock.Elapsed;
            CheckNoneFailed(what, subscribers);
            if (!caughtUp)
            {
                throw new BenchmarkException(
                    $"{what}: {subscribers.Count(s => s.Last >= max)} of {subscriberCount} subscribers had every notification up to {max} "
                    + $"{CatchUpDeadline.TotalSeconds:0}s after the writes; the slowest was at {subscribers.Min(s => s.Last)}");
            }

            var wrong = subscribers.Where(s => s.Last != max || s.Received != max).ToList();
            if (wrong.Count > 0)
            {
                throw new BenchmarkException(
                    $"{what}: {wrong.Count} subscribers did not receive exactly notifications 1..{max}, e.g. subscriber {wrong[0].Number}: "
                    + $"{wrong[0].Received} received, the last {wrong[0].Last}");
            }

            if (subscriberCount > 0)
            {
                say($"{what}: every subscriber received notifications 1..{max} once, in order, {catchUp.TotalSeconds:0.00}s after the writes ended");
            }

            return new Run(store.Name, subscriberCount, writes, max, lagAtEnd, catchUp);
        }
        finally
        {
            await stopping.CancelAsync();
            await Task.WhenAll(subscribers.Select(s => s.Stopped));
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>Waits until every subscriber is <paramref name="done"/> or one has failed: false when the deadline passed first.</summary>
    private static async Task<bool> UntilAsync(IReadOnlyList<Subscriber> subscribers, Func<Subscriber, bool> done, SemaphoreSlim changed, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        while (!subscribers.All(done) && !subscribers.Any(s => s.Error is not null))
        {
            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task ProgressAsync(string what, IReadOnlyList<Subscriber> subscribers, Func<long> acknowledged, Action<string> say, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await Task.Delay(ProgressEvery, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var streams = subscribers.Count == 0
                ? string.Empty
                : $"; subscribers between {subscribers.Min(s => s.Last)} and {subscribers.Max(s => s.Last)}, {subscribers.Sum(s => s.Frames)} frames";
            say($"{what}: {clock.Elapsed.TotalSeconds:0}s, {acknowledged()} commands acknowledged{streams}");
        }
    }

    private static void CheckNoneFailed(string what, IReadOnlyList<Subscriber> subscribers)
    {
        if (subscribers.Any(s => s.Error is not null))
        {
            throw new BenchmarkException($"{what}: {subscribers.Count(s => s.Error is not null)} subscribers failed{Problems(subscribers)}");
        }
    }

    private static string Problems(IReadOnlyList<Subscriber> subscribers)
        => string.Concat(subscribers.Where(s => s.Error is not null).Take(5).Select(s => $"{Environment.NewLine}  subscriber {s.Number}: {s.Error}"));
}
