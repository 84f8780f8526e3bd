using System.Threading.Channels;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Node.Grpc;

/// <summary>
/// One <c>Application.CallStream</c>: reads calls, runs up to <see cref="MaxInFlight"/> of them at once, and answers
/// each as it finishes through one writer, which flushes only when no other answer is waiting (so a burst of answers
/// goes out in few writes). Nothing a single call does ends the stream: its error is its answer.
/// </summary>
internal sealed partial class CallStreamSession
{
    /// <summary>The calls of one stream that run at once; the next request is read when one finishes.</summary>
    public const int MaxInFlight = 64;

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);
    private static readonly WriteOptions Flushed = new();

    private readonly RemoteDispatcher _dispatcher;
    private readonly ServerCallContext _context;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);
    private readonly Dictionary<ulong, CancellationTokenSource> _inFlight = [];
    private readonly Channel<Proto.CallStreamResponse> _answers = Channel.CreateUnbounded<Proto.CallStreamResponse>();

    public CallStreamSession(RemoteDispatcher dispatcher, ServerCallContext context, ILogger logger)
    {
        _dispatcher = dispatcher;
        _context = context;
        _logger = logger;
    }

    /// <summary>
    /// Runs the stream until the caller half-closes it (then every call in flight is answered first) or cancels it.
    /// An id already in flight ends the stream with INVALID_ARGUMENT, after the calls in flight are answered.
    /// </summary>
    public async Task RunAsync(IAsyncStreamReader<Proto.CallStreamRequest> requests, IServerStreamWriter<Proto.CallStreamResponse> responses)
    {
        var cancellationToken = _context.CancellationToken;
        var writing = WriteAnswersAsync(responses);
        try
        {
            while (await requests.MoveNext(cancellationToken))
            {
                var request = requests.Current;
                if (request.Cancel)
                {
                    CancelCall(request.Id);
                    continue;
                }

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

                // On a thread of its own: a store that does its I/O synchronously (SQLite) would otherwise hold up
                // the reading of the next call for the whole of this one, commit and flush included, and the calls of a
                // stream would run one at a time. It answers even when it fails.
                _ = Task.Run(() => RunCallAsync(request, call), CancellationToken.None);
            }
        }
        finally
        {
            // Every call in flight answers (cancelled, if the stream was) before the writer is told there is no more.
            for (var i = 0; i < MaxInFlight; i++)
            {
                await _slots.WaitAsync(CancellationToken.None);
            }

            _answers.Writer.Complete();
            await writing;
        }
    }

    private void CancelCall(ulong id)
    {
        lock (_inFlight)
        {
            if (_inFlight.TryGetValue(id, out var call))
            {
                call.Cancel();
            }
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
            _answers.Writer.TryWrite(answer);
            _slots.Release();
        }
    }

    private async Task<Value> CallAsync(Proto.CallStreamRequest request, Proto.CallStreamResponse answer, CancellationToken cancellationToken)
    {
        var correlationId = request.CorrelationId;
        if (correlationId.Length == 0)
        {
            correlationId = Correlation.NewId();
        }
        else if (Correlation.Validate(correlationId) is { } problem)
        {
            throw ErrorContract.BadRequest("correlation_id", $"The correlation_id {problem}");
        }

        answer.CorrelationId = correlationId;
        using var correlation = Correlation.Begin(correlationId);
        System.Text.Json.JsonDocument args;
        try
        {
            args = ProtoJson.ToDocument(request.Args);
        }
        catch (FormatException ex)
        {
            throw ErrorContract.BadRequest("args", $"{request.Method}: {ex.Message}");
        }

        using (args)
        {
            var result = await _dispatcher.CallAsync(request.Method, args.RootElement, cancellationToken);
            return result is { } json ? ProtoJson.ToValue(json) : Value.ForNull();
        }
    }

    /// <summary>The status <c>Call</c> would have ended with, logged as <see cref="ErrorMapping"/> logs a failed call.</summary>
    private Google.Rpc.Status StatusOf(string method, Exception error)
    {
        var mapped = ErrorContract.ToRpcException(error);
        if (mapped.StatusCode == StatusCode.Internal)
        {
            UnexpectedError(_logger, method, error);
        }
        else if (mapped.StatusCode != StatusCode.Cancelled)
        {
            CallFailed(_logger, method, mapped.StatusCode, mapped.Status.Detail);
        }

        return mapped.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)mapped.StatusCode, Message = mapped.Status.Detail };
    }

    /// <summary>The one writer of the stream: buffers an answer while another is waiting, flushes the last of a burst.</summary>
    private async Task WriteAnswersAsync(IServerStreamWriter<Proto.CallStreamResponse> responses)
    {
        var reader = _answers.Reader;
        var broken = false;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var answer))
            {
                if (broken)
                {
                    // The caller is gone: what is left is dropped, as the answers of unary calls would be.
                    continue;
                }

                try
                {
                    responses.WriteOptions = reader.Count > 0 ? Buffered : Flushed;
                    await responses.WriteAsync(answer, CancellationToken.None);
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
                {
                    broken = true;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CallStream: a call with id {Id} is in flight already; the stream reads no more calls, answers the {InFlight} in flight, then ends with INVALID_ARGUMENT")]
    private static partial void DuplicateId(ILogger logger, ulong id, int inFlight);

    [LoggerMessage(Level = LogLevel.Error, Message = "CallStream {Method} failed unexpectedly")]
    private static partial void UnexpectedError(ILogger logger, string method, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "CallStream {Method} -> {Code}: {Message}")]
    private static partial void CallFailed(ILogger logger, string method, StatusCode code, string message);
}
