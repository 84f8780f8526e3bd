using EventSourcing.Grpc;
using EventSourcing.Grpc.V1;
using Grpc.Core;

namespace EventSourcing.Subscribers;

/// <summary>
/// One Subscribe stream from the start of the log, read as fast as its frames come. It checks as it reads that each
/// id is the one after the last (and, once it has a target, not beyond it), and releases <paramref name="changed"/> on
/// its first frame, when it reaches its target, and when it fails. The subscribers benchmark and the many-subscribers
/// test both read their streams with it.
/// </summary>
internal sealed class Subscriber(int number, NodeClient client, SemaphoreSlim changed)
{
    private long _last;
    private long _received;
    private long _frames;
    private long _target = long.MaxValue;
    private volatile string? _error;

    public int Number => number;

    /// <summary>The last notification id received: every id from 1 up to it was received once, in order.</summary>
    public long Last => Interlocked.Read(ref _last);

    public long Received => Interlocked.Read(ref _received);

    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>What went wrong with the stream: an id out of order, a failure, or an end nobody asked for.</summary>
    public string? Error => _error;

    /// <summary>Completes when the stream has ended; never faults (see <see cref="Error"/>).</summary>
    public Task Stopped { get; private set; } = Task.CompletedTask;

    public void Start(CancellationToken stopping) => Stopped = Task.Run(() => ReadAsync(stopping), CancellationToken.None);

    /// <summary>
    /// From now on, <paramref name="changed"/> is released when a frame brings the subscriber to <paramref name="target"/>,
    /// and a notification beyond it is an error.
    /// </summary>
    public void Aim(long target) => Interlocked.Exchange(ref _target, target);

    private async Task ReadAsync(CancellationToken stopping)
    {
        try
        {
            using var call = client.Log.Subscribe(new SubscribeRequest { Start = 0 }, client.Headers, cancellationToken: stopping);
            await foreach (var frame in call.ResponseStream.ReadAllAsync(stopping))
            {
                foreach (var notification in frame.Notifications)
                {
                    var id = (long)notification.Id;
                    if (id != _last + 1 || id > Interlocked.Read(ref _target))
                    {
                        Fail($"received notification {id} after {_last}{(_target == long.MaxValue ? string.Empty : $" (the last should be {_target})")}");
                        return;
                    }

                    Interlocked.Exchange(ref _last, id);
                    Interlocked.Increment(ref _received);
                }

                if (Interlocked.Increment(ref _frames) == 1 || (frame.Notifications.Count > 0 && _last >= Interlocked.Read(ref _target)))
                {
                    changed.Release();
                }
            }

            Fail($"the stream ended after notification {_last}");
        }
        catch (Exception ex) when (stopping.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // The measurement is over.
        }
        catch (RpcException ex)
        {
            Fail($"the stream failed after notification {_last}: {ex.Status}");
        }
    }

    private void Fail(string error)
    {
        _error = error;
        changed.Release();
    }
}
