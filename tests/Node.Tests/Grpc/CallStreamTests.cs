using System.Collections.Concurrent;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Protocol;
using EventSourcing.Grpc.V1;
using EventSourcing.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EventSourcing.Node.Tests.Grpc;

/// <summary>
/// <c>Application.CallStream</c>: many calls on one stream, running concurrently, each answered with its id as it
/// finishes, a failing call ending nothing else; and <see cref="RemoteCallStream"/>, a proxy's calls on such a stream.
/// </summary>
public sealed class CallStreamTests : IAsyncLifetime
{
    private const string Token = "call-stream-token";
    private readonly RecordedLog _log = new();
    private readonly List<RemoteCallStream> _streams = [];
    private InMemoryNode _gates = null!;

    public async Task InitializeAsync()
        => _gates = await InMemoryNode.StartAsync(
            nameof(Gates),
            new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" },
            Token,
            options => options with { System = GateSystem.Name },
            builder =>
            {
                builder.Logging.AddProvider(_log);

                // The host's "Request finished" line too: it comes once a call's handler has returned.
                builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting", LogLevel.Information);
            });

    public async Task DisposeAsync()
    {
        // Every gate open first, so that no stream waits for an answer that a failed test left at a gate.
        Gates.OpenAll();
        foreach (var stream in _streams)
        {
            await stream.DisposeAsync();
        }

        await _gates.DisposeAsync();
    }

    [Fact]
    public async Task Calls_on_one_stream_run_at_once_and_each_is_answered_with_its_id_as_it_finishes()
    {
        var (a, b) = (Gate.New(), Gate.New());
        using var stream = _gates.Client.Application.CallStream(_gates.Client.Headers);

        await stream.RequestStream.WriteAsync(Pass(1, a));
        await stream.RequestStream.WriteAsync(Pass(2, b));
        await Gates.Of(a).Entered.Task.WaitAsync(Eventually.Deadline);
        await Gates.Of(b).Entered.Task.WaitAsync(Eventually.Deadline);
        Gates.Of(b).Open();
        var first = await NextAsync(stream);
        Gates.Of(a).Open();
        var second = await NextAsync(stream);
        await stream.RequestStream.CompleteAsync();

        Assert.Equal((2ul, b), (first.Id, first.Result.StringValue));
        Assert.Equal((1ul, a), (second.Id, second.Result.StringValue));
        Assert.False(await stream.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, stream.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_failing_call_answers_with_the_status_call_would_end_with_and_the_stream_goes_on()
    {
        using var stream = _gates.Client.Application.CallStream(_gates.Client.Headers);

        await stream.RequestStream.WriteAsync(new CallStreamRequest { Id = 1, Method = "Bark", Args = new ListValue() });
        var unknown = await NextAsync(stream);
        await stream.RequestStream.WriteAsync(new CallStreamRequest { Id = 2, Method = "Pass", Args = new ListValue { Values = { Value.ForNumber(7) } } });
        var badArgument = await NextAsync(stream);
        var gate = Gate.New();
        Gates.Of(gate).Open();
        await stream.RequestStream.WriteAsync(Pass(3, gate));
        var passed = await NextAsync(stream);
        await stream.RequestStream.CompleteAsync();

        Assert.Equal(1ul, unknown.Id);
        Assert.Equal((int)StatusCode.NotFound, unknown.Error.Code);
        Assert.Equal(ErrorReasons.MethodNotFound, ReasonOf(unknown));
        Assert.Contains("Pass", unknown.Error.Message, StringComparison.Ordinal);
        Assert.Equal(2ul, badArgument.Id);
        Assert.Equal((int)StatusCode.InvalidArgument, badArgument.Error.Code);
        Assert.Equal("args[0]", ErrorContract.FieldOf(badArgument.Error.ToRpcException()));
        Assert.Equal((3ul, gate), (passed.Id, passed.Result.StringValue));
        Assert.False(await stream.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task Each_call_runs_with_its_own_correlation_id_or_a_new_one_and_a_bad_one_is_refused_by_name()
    {
        var gate = Gate.New();
        Gates.Of(gate).Open();
        using var stream = _gates.Client.Application.CallStream(_gates.Client.Headers);

        var given = Pass(1, gate);
        given.CorrelationId = "order-7";
        await stream.RequestStream.WriteAsync(given);
        var withGiven = await NextAsync(stream);
        await stream.RequestStream.WriteAsync(Pass(2, gate));
        var withNew = await NextAsync(stream);
        var bad = Pass(3, gate);
        bad.CorrelationId = new string('x', Correlation.MaxLength + 1);
        await stream.RequestStream.WriteAsync(bad);
        var refused = await NextAsync(stream);
        await stream.RequestStream.CompleteAsync();

        Assert.Equal("order-7", withGiven.CorrelationId);
        Assert.True(Guid.TryParse(withNew.CorrelationId, out _), withNew.CorrelationId);
        Assert.Equal((int)StatusCode.InvalidArgument, refused.Error.Code);
        Assert.Equal("correlation_id", ErrorContract.FieldOf(refused.Error.ToRpcException()));
        Assert.Equal(new[] { "order-7", withNew.CorrelationId }, Gates.Of(gate).CorrelationIds.ToArray());
    }

    [Fact]
    public async Task A_cancel_request_cancels_its_call_on_the_node_which_answers_cancelled()
    {
        var (a, b) = (Gate.New(), Gate.New());
        using var stream = _gates.Client.Application.CallStream(_gates.Client.Headers);

        await stream.RequestStream.WriteAsync(Pass(1, a));
        await stream.RequestStream.WriteAsync(Pass(2, b));
        await Gates.Of(a).Entered.Task.WaitAsync(Eventually.Deadline);
        await stream.RequestStream.WriteAsync(new CallStreamRequest { Id = 1, Cancel = true });
        var cancelled = await NextAsync(stream);
        await stream.RequestStream.WriteAsync(new CallStreamRequest { Id = 99, Cancel = true });
        Gates.Of(b).Open();
        var passed = await NextAsync(stream);
        await stream.RequestStream.CompleteAsync();

        Assert.Equal((1ul, (int)StatusCode.Cancelled), (cancelled.Id, cancelled.Error.Code));
        Assert.True(Gates.Of(a).Cancelled.Task.IsCompleted);
        Assert.Equal((2ul, b), (passed.Id, passed.Result.StringValue));
        Assert.False(await stream.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task An_id_in_flight_sent_again_ends_the_stream_as_a_bad_request_after_the_call_in_flight_is_answered()
    {
        var (a, b) = (Gate.New(), Gate.New());
        using var stream = _gates.Client.Application.CallStream(_gates.Client.Headers);

        await stream.RequestStream.WriteAsync(Pass(1, a));
        await Gates.Of(a).Entered.Task.WaitAsync(Eventually.Deadline);
        await stream.RequestStream.WriteAsync(Pass(1, b));
        await _log.Said("a call with id 1 is in flight already").WaitAsync(Eventually.Deadline);
        Gates.Of(a).Open();
        var answered = await NextAsync(stream);
        var error = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal((1ul, a), (answered.Id, answered.Result.StringValue));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(ErrorReasons.BadRequest, ErrorContract.ReasonOf(error));
        Assert.Equal("id", ErrorContract.FieldOf(error));
        Assert.False(Gates.Of(b).Entered.Task.IsCompleted);
    }

    [Fact]
    public async Task A_caller_that_resets_its_stream_has_its_calls_cancelled_and_the_node_logs_no_error()
    {
        // Kestrel, not the test server: a reset reaches the node's reader as it does in production.
        var log = new RecordedLog();
        await using var node = await InMemoryNode.StartOnKestrelAsync(
            nameof(Gates),
            new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" },
            options => options with { System = GateSystem.Name },
            builder =>
            {
                builder.Logging.AddProvider(log);
                builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting", LogLevel.Information);
            });
        var gate = Gate.New();
        var stream = node.Client.Application.CallStream();
        await stream.RequestStream.WriteAsync(Pass(1, gate));
        await Gates.Of(gate).Entered.Task.WaitAsync(Eventually.Deadline);

        stream.Dispose();

        await Gates.Of(gate).Cancelled.Task.WaitAsync(Eventually.Deadline);
        await log.Said("Request finished HTTP/2 POST").WaitAsync(Eventually.Deadline);
        Assert.DoesNotContain(log.Lines, line => line.Contains("unexpectedly", StringComparison.Ordinal) || line.Contains("Error when executing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stopping_node_answers_the_calls_it_has_read_then_ends_the_stream_as_unavailable()
    {
        var gate = Gate.New();
        using var stream = _gates.Client.Application.CallStream(_gates.Client.Headers);
        await stream.RequestStream.WriteAsync(Pass(1, gate));
        await Gates.Of(gate).Entered.Task.WaitAsync(Eventually.Deadline);

        _gates.StopApplication();
        var late = Gate.New();
        Gates.Of(late).Open();
        await stream.RequestStream.WriteAsync(Pass(2, late));
        Gates.Of(gate).Open();
        var answered = await NextAsync(stream);
        var error = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Eventually.Deadline));

        Assert.Equal((1ul, gate), (answered.Id, answered.Result.StringValue));
        Assert.False(Gates.Of(late).Entered.Task.IsCompleted);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.True(ErrorContract.ToException(error, nameof(Gates)) is OperationalException { IsTransient: true });
    }

    [Fact]
    public async Task A_client_keeps_at_most_the_most_calls_unanswered_so_a_cancel_still_gets_through_when_the_stream_is_full()
    {
        var gates = Enumerable.Range(0, CallStreamLimits.MaxCallsInFlight + 1).Select(_ => Gate.New()).ToArray();
        var calls = CallsToGates();
        var proxy = RemoteProxy.Create<IGates>(calls);
        using var cancellation = new CancellationTokenSource();

        var passing = gates.Select((gate, i) => proxy.PassAsync(gate, i == 0 ? cancellation.Token : CancellationToken.None)).ToArray();
        await Task.WhenAll(gates.Take(CallStreamLimits.MaxCallsInFlight).Select(gate => Gates.Of(gate).Entered.Task)).WaitAsync(Eventually.Deadline);
        var lastSentYet = Gates.Of(gates[^1]).Entered.Task.IsCompleted;
        await cancellation.CancelAsync();

        await Gates.Of(gates[0]).Cancelled.Task.WaitAsync(Eventually.Deadline);
        await Gates.Of(gates[^1]).Entered.Task.WaitAsync(Eventually.Deadline);
        Gates.OpenAll();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => passing[0]);
        Assert.Equal(gates[1..], await Task.WhenAll(passing[1..]).WaitAsync(Eventually.Deadline));
        Assert.False(lastSentYet);
    }

    [Fact]
    public async Task A_stream_without_the_token_is_refused()
    {
        using var stream = _gates.Client.Application.CallStream();

        // The refusal may come as soon as the request is written, or when the answer is read.
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await stream.RequestStream.WriteAsync(Pass(1, Gate.New()));
            await stream.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Proxied_calls_share_one_stream_and_run_at_once()
    {
        var (a, b) = (Gate.New(), Gate.New());
        var calls = CallsToGates();
        var gates = RemoteProxy.Create<IGates>(calls);

        var passingA = gates.PassAsync(a);
        var passingB = gates.PassAsync(b);
        await Gates.Of(a).Entered.Task.WaitAsync(Eventually.Deadline);
        await Gates.Of(b).Entered.Task.WaitAsync(Eventually.Deadline);
        Gates.Of(b).Open();
        Assert.Equal(b, await passingB.WaitAsync(Eventually.Deadline));
        Assert.False(passingA.IsCompleted);
        Gates.Of(a).Open();

        Assert.Equal(a, await passingA.WaitAsync(Eventually.Deadline));
        Assert.Single(_log.Lines, line => line.StartsWith("Request starting", StringComparison.Ordinal) && line.Contains("/CallStream", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_proxied_call_that_fails_throws_what_the_same_unary_call_throws_and_the_next_call_succeeds()
    {
        var gate = Gate.New();
        Gates.Of(gate).Open();
        var calls = CallsToGates();
        var streamed = RemoteProxy.Create<IGates>(calls);
        var unary = RemoteProxy.Create<IGates>(_gates.Client, nameof(Gates));

        var onStream = await Assert.ThrowsAnyAsync<Exception>(() => streamed.RefuseAsync("no dogs on the sofa"));
        var onCall = await Assert.ThrowsAnyAsync<Exception>(() => unary.RefuseAsync("no dogs on the sofa"));

        Assert.IsType<ArgumentException>(onStream);
        Assert.Equal(onCall.GetType(), onStream.GetType());
        Assert.Equal(onCall.Message, onStream.Message);
        Assert.Equal(gate, await streamed.PassAsync(gate));
    }

    [Fact]
    public async Task A_cancelled_unary_proxied_call_throws_OperationCanceledException_as_one_on_a_stream_does()
    {
        var gate = Gate.New();
        var gates = RemoteProxy.Create<IGates>(_gates.Client, nameof(Gates));
        using var cancellation = new CancellationTokenSource();

        var passing = gates.PassAsync(gate, cancellation.Token);
        await Gates.Of(gate).Entered.Task.WaitAsync(Eventually.Deadline);
        await cancellation.CancelAsync();

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => passing.WaitAsync(Eventually.Deadline));
        Assert.Equal(cancellation.Token, cancelled.CancellationToken);
        await Gates.Of(gate).Cancelled.Task.WaitAsync(Eventually.Deadline);
    }

    [Fact]
    public async Task A_cancelled_proxied_call_ends_at_once_and_is_cancelled_on_the_node_while_the_others_go_on()
    {
        var (a, b) = (Gate.New(), Gate.New());
        var calls = CallsToGates();
        var gates = RemoteProxy.Create<IGates>(calls);
        using var cancellation = new CancellationTokenSource();

        var passingA = gates.PassAsync(a, cancellation.Token);
        var passingB = gates.PassAsync(b);
        await Gates.Of(a).Entered.Task.WaitAsync(Eventually.Deadline);
        await Gates.Of(b).Entered.Task.WaitAsync(Eventually.Deadline);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => passingA.WaitAsync(Eventually.Deadline));
        await Gates.Of(a).Cancelled.Task.WaitAsync(Eventually.Deadline);
        Assert.False(passingB.IsCompleted);
        Gates.Of(b).Open();
        Assert.Equal(b, await passingB.WaitAsync(Eventually.Deadline));
    }

    [Fact]
    public async Task Many_pipelined_commands_of_a_dog_school_all_land()
    {
        await using var school = await InMemoryNode.StartAsync("DogSchool", new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" });
        await using var calls = new RemoteCallStream(school.Client, "DogSchool");
        var proxy = RemoteProxy.Create<IDogSchool>(calls);
        var names = Enumerable.Range(0, 300).Select(i => $"dog {i}").ToArray();

        await Task.WhenAll(names.Select(name => proxy.RegisterDogAsync(name)));
        await Task.WhenAll(names.Select(name => proxy.AddTrickAsync(name, $"trick of {name}")));
        var dogs = await Task.WhenAll(names.Select(name => proxy.GetDogAsync(name)));

        Assert.Equal(names.Select(name => $"trick of {name}"), dogs.Select(dog => Assert.Single(dog.Tricks)));
    }

    private RemoteCallStream CallsToGates()
    {
        var calls = new RemoteCallStream(_gates.Client, nameof(Gates));
        _streams.Add(calls);
        return calls;
    }

    private static CallStreamRequest Pass(ulong id, string gate)
        => new() { Id = id, Method = "Pass", Args = new ListValue { Values = { Value.ForString(gate) } } };

    private static async Task<CallStreamResponse> NextAsync(AsyncDuplexStreamingCall<CallStreamRequest, CallStreamResponse> stream)
    {
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Eventually.Deadline));
        return stream.ResponseStream.Current;
    }

    private static string? ReasonOf(CallStreamResponse response) => ErrorContract.ReasonOf(response.Error.ToRpcException());

    /// <summary>The node's log lines, and a way to await one.</summary>
    private sealed class RecordedLog : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly SemaphoreSlim _changed = new(0);

        public IEnumerable<string> Lines => _lines;

        public Task Said(string text)
            => Eventually.HoldsAsync(() => _lines.Any(line => line.Contains(text, StringComparison.Ordinal)), _changed, $"the log to say '{text}'");

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _lines.Enqueue(formatter(state, exception));
            _changed.Release();
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>A system of one application whose calls wait at gates the test opens: calls in flight for as long as a test needs.</summary>
[SystemDefinition(Name)]
public static class GateSystem
{
    public const string Name = "CallStreamTests.Gates";

    public static EventSystem System { get; } = new([[typeof(Gates)]]);
}

[Remote]
public interface IGates
{
    /// <summary>Waits until <paramref name="gate"/> opens, or the call is cancelled; returns the gate's name.</summary>
    Task<string> PassAsync(string gate, CancellationToken cancellationToken = default);

    /// <summary>Rejects the call with an <see cref="ArgumentException"/> giving <paramref name="reason"/>.</summary>
    Task RefuseAsync(string reason, CancellationToken cancellationToken = default);
}

/// <summary>The gates every test opens and watches, by name; each test takes names of its own.</summary>
public sealed class Gates(IReadOnlyDictionary<string, string>? env = null) : Application(env), IGates
{
    private static readonly ConcurrentDictionary<string, Gate> All = new(StringComparer.Ordinal);

    public static Gate Of(string name) => All.GetOrAdd(name, _ => new Gate());

    public static void OpenAll()
    {
        foreach (var gate in All.Values)
        {
            gate.Open();
        }
    }

    public async Task<string> PassAsync(string gate, CancellationToken cancellationToken = default)
    {
        var entered = Of(gate);
        entered.CorrelationIds.Enqueue(Correlation.CurrentId);
        entered.Entered.TrySetResult();
        try
        {
            await entered.Opened.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            entered.Cancelled.TrySetResult();
            throw;
        }

        return gate;
    }

    public Task RefuseAsync(string reason, CancellationToken cancellationToken = default)
        => throw new ArgumentException(reason, nameof(reason));
}

/// <summary>A gate: whether a call has reached it, opened it, or was cancelled waiting.</summary>
public sealed class Gate
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The correlation id of each call that reached the gate, in order.</summary>
    public ConcurrentQueue<string?> CorrelationIds { get; } = new();

    public static string New() => $"gate {Guid.NewGuid():N}";

    public void Open() => Opened.TrySetResult();
}
