using System.Diagnostics;
using EventSourcing.Grpc;
using EventSourcing.Grpc.V1;
using Grpc.Core;

namespace EventSourcing.GrpcBench;

/// <summary>
/// A Subscribe stream on Counters' log, from after its last notification, of <c>Counter.Incremented</c> events only
/// (one per trick added): when each arrived. With one client, the k-th arrival is the k-th AddTrick's.
/// </summary>
internal sealed class ProcessedProbe : IAsyncDisposable
{
    private const string Incremented = "counters:Counter.Incremented";

    /// <summary>How long the arrivals of a run's calls may take to come in after Counters has caught up.</summary>
    private static readonly TimeSpan ArrivalDeadline = TimeSpan.FromSeconds(10);

    private readonly List<long> _arrivals = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource? _enough;
    private int _expected;
    private readonly Task _reading;

    private ProcessedProbe(NodeClient counters, long start)
    {
        _reading = Task.Run(() => ReadAsync(counters, start, _stop.Token));
    }

    public static async Task<ProcessedProbe> StartAsync(NodeClient counters, CancellationToken cancellationToken)
    {
        var status = await counters.StatusAsync(cancellationToken);
        return new ProcessedProbe(counters, (long)status.MaxNotificationId + 1);
    }

    /// <summary>
    /// Waits (at most <see cref="ArrivalDeadline"/>) until an arrival has come for each call, then stops reading: the
    /// arrivals matched with the calls' starts, in ms, or empty when some arrivals were still missing.
    /// </summary>
    public async Task<IReadOnlyList<double>> LatenciesAsync(IReadOnlyList<long> starts)
    {
        Task enough;
        lock (_arrivals)
        {
            _expected = starts.Count;
            _enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_arrivals.Count >= _expected)
            {
                _enough.TrySetResult();
            }

            enough = _enough.Task;
        }

        try
        {
            // A stream that ends early (its error raised below) leaves the arrivals short: no point waiting then.
            await Task.WhenAny(enough, _reading).WaitAsync(ArrivalDeadline);
        }
        catch (TimeoutException)
        {
            // Some arrivals still missing: the run gives no latencies, and says so.
        }

        await _stop.CancelAsync();
        await _reading;
        lock (_arrivals)
        {
            return _arrivals.Count < starts.Count
                ? []
                : [.. starts.Select((start, k) => Stopwatch.GetElapsedTime(start, _arrivals[k]).TotalMilliseconds)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync(NodeClient counters, long start, CancellationToken stop)
    {
        try
        {
            var request = new SubscribeRequest { Start = start, Topics = { Incremented } };
            using var call = counters.Log.Subscribe(request, counters.Headers, cancellationToken: stop);
            await foreach (var frame in call.ResponseStream.ReadAllAsync(stop))
            {
                var now = Stopwatch.GetTimestamp();
                lock (_arrivals)
                {
                    _arrivals.AddRange(Enumerable.Repeat(now, frame.Notifications.Count));
                    if (_enough is not null && _arrivals.Count >= _expected)
                    {
                        _enough.TrySetResult();
                    }
                }
            }
        }
        catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or RpcException)
        {
            // Stopped: cancelling a stream that is reading may also end it as aborted (Unavailable).
        }
    }
}
