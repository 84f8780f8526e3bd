using System.Threading.Channels;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Node.Grpc;

/// <summary>
/// One <c>Application.CallStream</c>: reads calls, holds up to <see cref="MaxInFlight"/> of them at once (from taking
/// each on until its answer is written, so a caller that does not read its answers holds up its own stream, not the
/// node's memory; with that many, the next call read waits, and nothing more is read meanwhile), and answers each as it finishes through one writer, which flushes only when no other answer is
/// waiting (so a burst of answers goes out in few writes). Nothing a single call does ends the stream: its error is
/// its answer. When the node stops, the stream reads no more calls, answers those it has read, and ends UNAVAILABLE.
/// </summary>
internal sealed partial class CallStreamSession
{
    private const int MaxInFlight = CallStreamLimits.MaxCallsInFlight;

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);
    private static readonly WriteOptions Flushed = new();

    private readonly RemoteDispatcher _dispatcher;
    private readonly ServerCallContext _context;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);
    private readonly Dictionary<ulong, CancellationTokenSource> _inFlight = [];
    private readonly Channel<Proto.CallStreamResponse> _answers = Channel.CreateUnbounded<Proto.CallStreamResponse>();

    public CallStreamSession(RemoteDispatcher dispatcher, ServerCallContext context, CancellationToken stopping, ILogger logger)
    {
        _dispatcher = dispatcher;
        _context = context;
        _stopping = stopping;
        _logger = logger;
    }

    /// <summary>
    /// Runs the stream until the caller half-closes it (then every call in flight is answered first) or cancels it.
    /// An id already in flight ends the stream with INVALID_ARGUMENT, after the calls in flight are answered.
    /// </summary>
    public async Task RunAsync(IAsyncStreamReader<Proto.CallStreamRequest> requests, IServerStreamWriter<Proto.CallStreamResponse> responses)
    {
        var cancellationToken = _context.CancellationToken;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping);
        var writing = WriteAnswersAsync(responses);
        var stopped = false;
        try
        {
            while (await requests.MoveNext(reading.Token))
            {
                var request = requests.Current;
                if (request.Cancel)
                {
                    CancelCall(request.Id);
                    continue;
                }

                // Not cut short by the node stopping: a call read is a call answered.
                await _slots.WaitAsync(cancellationToken);
                var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                lock (_inFlight)
                {
                    if (!_inFlight.TryAdd(request.Id, call))
                    {
                        call.Dispose();
                        _slots.Release();
                        DuplicateId(_logger, request.Id, _inFlight.Count);
                        throw ErrorContract.BadRequest("id", $"CallStream: a call with id {request.Id} is in flight on this stream already; an id may be used again once its call has been answered");
                    }
                }

                // Queued to the thread pool rather than run on this loop: a store that does its I/O synchronously
                // (SQLite) would otherwise hold up the reading of the next call for the whole of this one, commit and
                // flush included, and the calls of a stream would run one at a time. It answers even when it fails.
                _ = Task.Run(() => RunCallAsync(request, call), CancellationToken.None);
            }
        }
        catch (IOException ex)
        {
            // The caller reset the stream (cancelled it, or went away): gRPC's reader throws rather than ending. Not a
            // failure of the node's, so not logged as one; the calls in flight are cancelled with the stream.
            throw new RpcException(new Status(StatusCode.Cancelled, $"The caller ended the stream: {ex.Message}"));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Answered below, once the calls in flight are: the caller sends its next calls elsewhere or later.
            stopped = true;
        }
        finally
        {
            // Every call in flight is answered (cancelled, if the stream was) before the writer is told there is no more.
            for (var i = 0; i < MaxInFlight; i++)
            {
                await _slots.WaitAsync(CancellationToken.None);
            }

            _answers.Writer.Complete();
            await writing;
        }

        if (stopped)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The node is stopping: the calls it had read are answered, no more are read"));
        }
    }

    private void CancelCall(ulong id)
    {
        CancellationTokenSource? call;
        lock (_inFlight)
        {
            _inFlight.TryGetValue(id, out call);
        }

        // Outside the lock, and not on this loop: the call's cancellation callbacks, and what awaits its token, run on
        // the thread pool, so a callback that throws cannot end the stream.
        try
        {
            _ = call?.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // It finished meanwhile.
        }
    }

    private async Task RunCallAsync(Proto.CallStreamRequest request, CancellationTokenSource call)
    {
        var answer = new Proto.CallStreamResponse { Id = request.Id };
        try
        {
            answer.Result = await CallAsync(request, answer, call.Token);
        }
        catch (Exception ex)
        {
            answer.Error = StatusOf(request.Method, ex);
        }
        finally
        {
            // Out of flight before it is answered, so a caller that reuses the id once answered is never refused.
            lock (_inFlight)
            {
                _inFlight.Remove(request.Id);
            }

            call.Dispose();

            // Its slot is freed once the answer is written (or dropped, the caller gone).
            _answers.Writer.TryWrite(answer);
        }
    }

    private async Task<Value> CallAsync(Proto.CallStreamRequest request, Proto.CallStreamResponse answer, CancellationToken cancellationToken)
    {
        // proto3 cannot tell an empty string from none: empty is none.
        var correlationId = ApplicationService.CorrelationIdOf(request.CorrelationId.Length == 0 ? null : request.CorrelationId, "correlation_id", "correlation_id");
        answer.CorrelationId = correlationId;
        return await ApplicationService.InvokeAsync(_dispatcher, request.Method, request.Args, correlationId, cancellationToken);
    }

    /// <summary>The status <c>Call</c> would have ended with, logged as <see cref="ErrorMapping"/> logs a failed call.</summary>
    private Google.Rpc.Status StatusOf(string method, Exception error)
    {
        var mapped = ErrorMapping.Map(_logger, $"{_context.Method} {method}", error);
        return mapped.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)mapped.StatusCode, Message = mapped.Status.Detail };
    }

    /// <summary>
    /// The one writer of the stream: buffers an answer while another is waiting, flushes the last of a burst, and
    /// frees each answer's slot once it is written.
    /// </summary>
    private async Task WriteAnswersAsync(IServerStreamWriter<Proto.CallStreamResponse> responses)
    {
        var reader = _answers.Reader;
        var broken = false;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var answer))
            {
                // The caller gone, what is left is dropped, as the answers of unary calls would be.
                if (!broken)
                {
                    try
                    {
                        responses.WriteOptions = reader.Count > 0 ? Buffered : Flushed;
                        await responses.WriteAsync(answer, CancellationToken.None);
                    }
                    catch (Exception)
                    {
                        // Whatever the write failed with, the stream is over; every slot must still be freed.
                        broken = true;
                    }
                }

                _slots.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CallStream: a call with id {Id} is in flight already; the stream reads no more calls, answers the {InFlight} in flight, then ends with INVALID_ARGUMENT")]
    private static partial void DuplicateId(ILogger logger, ulong id, int inFlight);
}
