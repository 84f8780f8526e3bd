using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EventSourcing.Grpc.Protocol;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Grpc;

/// <summary>
/// Sends the calls of proxies made with <see cref="RemoteProxy.Create{T}(RemoteCallStream)"/> over one
/// <c>Application.CallStream</c> of a node, so that a caller can send its next call before the last one has returned
/// (pipelining) without a request of HTTP/2 and gRPC per call. Calls in flight together run concurrently on the node,
/// as concurrent unary calls do: await a call before one that depends on its outcome. At most
/// <see cref="CallStreamLimits.MaxCallsInFlight"/> calls are unanswered at once; a further call waits for an answer
/// before it is sent, so that the node never stops reading the stream and a cancel always gets through.
/// </summary>
/// <remarks>
/// The stream opens with the first call. When it breaks (the node restarted, the connection dropped), each call in
/// flight on it fails as a unary call would (<see cref="OperationalException"/>, transient; whether the node ran it is
/// not known), and the next call opens a new stream. A cancelled call's task ends at once with
/// <see cref="OperationCanceledException"/>; the node is asked to cancel it, and may have run it. Disposing sends no
/// further calls (one not sent yet, waiting for room among the calls in flight, throws
/// <see cref="ObjectDisposedException"/>), waits for the answers that callers still wait for, then ends the stream.
/// </remarks>
public sealed class RemoteCallStream : IAsyncDisposable
{
    /// <summary>How long closing waits for the node to end the stream once nothing more is awaited, before resetting it.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly NodeClient _client;
    private readonly object _gate = new();
    private Session? _session;
    private long _nextId;
    private bool _disposed;

    public RemoteCallStream(NodeClient client, string application)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(application);
        _client = client;
        Application = application;
    }

    /// <summary>The application the node hosts, as errors name it.</summary>
    public string Application { get; }

    /// <summary>Calls <paramref name="method"/> with <paramref name="args"/>; the result as JSON (null for a method without one).</summary>
    public async Task<Value> CallAsync(string method, ListValue args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(args);
        cancellationToken.ThrowIfCancellationRequested();
        var request = new Proto.CallStreamRequest { Method = method, Args = args, CorrelationId = Correlation.CurrentId ?? string.Empty };
        var (session, answer) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        Proto.CallStreamResponse response;
        using (cancellationToken.Register(() => session.Cancel(request.Id, cancellationToken)))
        {
            response = await answer.Task.ConfigureAwait(false);
        }

        return response.OutcomeCase switch
        {
            Proto.CallStreamResponse.OutcomeOneofCase.Result => response.Result,
            Proto.CallStreamResponse.OutcomeOneofCase.Error => throw ErrorContract.ToException(response.Error.ToRpcException(), Application),
            _ => throw new RemoteCallException(StatusCode.Internal, null, $"{Application}: the answer to call {request.Id} carried neither a result nor an error", null),
        };
    }

    public async ValueTask DisposeAsync()
    {
        Session? session;
        lock (_gate)
        {
            _disposed = true;
            session = _session;
            _session = null;
        }

        if (session is not null)
        {
            await session.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues <paramref name="request"/> on the open stream (opening one if none is), with a fresh id, once fewer than
    /// <see cref="CallStreamLimits.MaxCallsInFlight"/> of its calls are unanswered.
    /// </summary>
    private async Task<(Session Session, TaskCompletionSource<Proto.CallStreamResponse> Answer)> SendAsync(Proto.CallStreamRequest request, CancellationToken cancellationToken)
    {
        while (true)
        {
            Session session;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_session is null || _session.IsBroken)
                {
                    _session = new Session(this, _client.Application.CallStream(_client.Headers));
                }

                session = _session;
            }

            await session.EnterAsync(cancellationToken).ConfigureAwait(false);
            request.Id = (ulong)Interlocked.Increment(ref _nextId);
            if (session.TrySend(request) is { } answer)
            {
                return (session, answer);
            }

            // It broke (or closed) before the call was queued: the call was not sent, so it goes on a new stream.
        }
    }

    /// <summary>One stream: the calls sent on it and not yet answered, a writer of requests and a reader of answers.</summary>
    private sealed class Session
    {
        private readonly RemoteCallStream _owner;
        private readonly AsyncDuplexStreamingCall<Proto.CallStreamRequest, Proto.CallStreamResponse> _call;
        private readonly Dictionary<ulong, TaskCompletionSource<Proto.CallStreamResponse>> _pending = [];
        private readonly Channel<Proto.CallStreamRequest> _requests = Channel.CreateUnbounded<Proto.CallStreamRequest>();

        // A permit for each call that may be unanswered; the node's answer to any call gives its permit back.
        private readonly SemaphoreSlim _window = new(CallStreamLimits.MaxCallsInFlight);
        private readonly Task _writing;
        private readonly Task _reading;
        private Exception? _broken;
        private TaskCompletionSource? _allAnswered;

        public Session(RemoteCallStream owner, AsyncDuplexStreamingCall<Proto.CallStreamRequest, Proto.CallStreamResponse> call)
        {
            _owner = owner;
            _call = call;
            _writing = Task.Run(WriteAsync);
            _reading = Task.Run(ReadAsync);
        }

        public bool IsBroken => Volatile.Read(ref _broken) is not null;

        /// <summary>Waits until fewer than the most calls are unanswered (or the stream broke: the send then fails).</summary>
        public Task EnterAsync(CancellationToken cancellationToken) => _window.WaitAsync(cancellationToken);

        /// <summary>The call's answer to come, or null when the stream broke or closed before it was queued.</summary>
        public TaskCompletionSource<Proto.CallStreamResponse>? TrySend(Proto.CallStreamRequest request)
        {
            var answer = new TaskCompletionSource<Proto.CallStreamResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_pending)
            {
                if (_broken is not null || !_requests.Writer.TryWrite(request))
                {
                    _window.Release();
                    return null;
                }

                _pending.Add(request.Id, answer);
            }

            return answer;
        }

        /// <summary>Ends the caller's wait for call <paramref name="id"/> at once, and asks the node to cancel it.</summary>
        public void Cancel(ulong id, CancellationToken cancellationToken)
        {
            TaskCompletionSource<Proto.CallStreamResponse>? answer;
            lock (_pending)
            {
                if (!_pending.Remove(id, out answer))
                {
                    return;
                }

                SignalIfAllAnswered();
            }

            answer.TrySetCanceled(cancellationToken);
            _requests.Writer.TryWrite(new Proto.CallStreamRequest { Id = id, Cancel = true });
        }

        /// <summary>
        /// Sends nothing more, waits until no caller waits for an answer (each answered, failed or cancelled), lets the
        /// node end the stream (for at most <see cref="CloseGrace"/>: the calls whose callers stopped waiting may
        /// still run), and releases it.
        /// </summary>
        public async Task CloseAsync()
        {
            Task allAnswered;
            lock (_pending)
            {
                _requests.Writer.TryComplete();
                allAnswered = _pending.Count == 0 ? Task.CompletedTask : (_allAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await allAnswered.ConfigureAwait(false);
            await _writing.ConfigureAwait(false);
            try
            {
                await _reading.WaitAsync(CloseGrace).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The node still runs calls nobody waits for: the reset below cancels them.
            }

            _call.Dispose();
        }

        private async Task WriteAsync()
        {
            var reader = _requests.Reader;
            try
            {
                while (await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    while (reader.TryRead(out var request))
                    {
                        await _call.RequestStream.WriteAsync(request).ConfigureAwait(false);
                    }
                }

                await _call.RequestStream.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The reader sees the stream's status; this ends the call so that it does.
                Break(ex as RpcException ?? new RpcException(new Status(StatusCode.Unavailable, $"sending on the stream failed: {ex.Message}", ex)));
                _call.Dispose();
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                while (await _call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
                {
                    var response = _call.ResponseStream.Current;
                    TaskCompletionSource<Proto.CallStreamResponse>? answer;
                    lock (_pending)
                    {
                        _pending.Remove(response.Id, out answer);
                        SignalIfAllAnswered();
                    }

                    _window.Release();

                    // No waiter: a call its caller cancelled.
                    answer?.TrySetResult(response);
                }

                Break(new RpcException(new Status(StatusCode.Unavailable, "the node ended the stream")));
            }
            catch (RpcException ex)
            {
                Break(ex);
            }
            catch (Exception ex)
            {
                Break(new RpcException(new Status(StatusCode.Unavailable, $"reading the stream failed: {ex.Message}", ex)));
            }
            finally
            {
                // The stream is over either way: nothing more will be read or sent on it.
                _call.Dispose();
            }
        }

        /// <summary>Under the lock of the pending calls: tells <see cref="CloseAsync"/> when none is left.</summary>
        private void SignalIfAllAnswered()
        {
            if (_pending.Count == 0)
            {
                _allAnswered?.TrySetResult();
            }
        }

        /// <summary>No more calls go on this stream, and every call still waiting fails with <paramref name="error"/>.</summary>
        private void Break(RpcException error)
        {
            List<TaskCompletionSource<Proto.CallStreamResponse>> waiting;
            lock (_pending)
            {
                _broken ??= error;
                _requests.Writer.TryComplete();
                waiting = [.. _pending.Values];
                _pending.Clear();
                SignalIfAllAnswered();
            }

            // Calls waiting to be sent go to a new stream.
            _window.Release(CallStreamLimits.MaxCallsInFlight);

            foreach (var answer in waiting)
            {
                answer.TrySetException(ErrorContract.ToException(error, _owner.Application));
            }
        }
    }
}
