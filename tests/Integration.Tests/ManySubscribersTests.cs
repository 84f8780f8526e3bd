using System.Diagnostics;
using EventSourcing.Grpc;
using EventSourcing.Grpc.V1;
using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Postgres;
using EventSourcing.Subscribers;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// Hundreds of Subscribe streams on one node while clients write to it: every write succeeds, and every stream
/// receives every notification once, in order. How fast is for scripts/bench.sh --subscribers to say.
/// </summary>
public sealed class ManySubscribersTests(ITestOutputHelper output) : NodeTests(output)
{
    private const int Subscribers = 300;
    private const int Writers = 8;
    private const int TricksPerWriter = 50;

    // Kestrel allows 100 concurrent streams per HTTP/2 connection by default (the node does not change it): the
    // streams are spread over channels of their own, one connection each, below that.
    private const int StreamsPerChannel = 75;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output = output;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Three_hundred_subscribers_each_receive_every_notification_once_in_order_while_eight_clients_write(string store)
    {
        var env = store == "sqlite"
            ? new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "sqlite", ["SQLITE_DBNAME"] = Data.File("dogschool.db") }
            : PostgresTestServer.Environment(PostgresTestServer.NewSchemaName(), new Dictionary<string, string> { ["POSTGRES_POOL_SIZE"] = "5" });
        var school = await Nodes.StartAsync("DogSchool", env);
        const long expected = Writers + (Writers * TricksPerWriter);

        var channels = Enumerable.Range(0, (Subscribers + StreamsPerChannel - 1) / StreamsPerChannel).Select(_ => new NodeClient(school.Url)).ToList();
        using var changed = new SemaphoreSlim(0);
        using var stopping = new CancellationTokenSource();
        var subscribers = Enumerable.Range(0, Subscribers).Select(i => new Subscriber(i, channels[i % channels.Count], changed)).ToList();
        try
        {
            var clock = Stopwatch.StartNew();
            foreach (var subscriber in subscribers)
            {
                subscriber.Aim(expected);
                subscriber.Start(stopping.Token);
            }

            await UntilAsync(
                subscribers,
                s => s.Frames > 0,
                changed,
                $"all {Subscribers} subscribers to receive their first frame",
                Deadline);
            AssertNoneFailed(subscribers);
            _output.WriteLine($"{Subscribers} subscribers had their first frame after {clock.Elapsed.TotalSeconds:0.0}s");

            clock.Restart();
            var acknowledged = 0;
            var writes = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                var dog = $"dog {writer}";
                await school.CallAsync("RegisterDog", dog);
                Interlocked.Increment(ref acknowledged);
                for (var trick = 0; trick < TricksPerWriter; trick++)
                {
                    await school.CallAsync("AddTrick", dog, $"trick {trick}");
                    Interlocked.Increment(ref acknowledged);
                }
            })).ToList();
            try
            {
                await Task.WhenAll(writes).WaitAsync(Deadline);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The writers were not done within {Deadline.TotalSeconds:0}s: {Volatile.Read(ref acknowledged)} of {expected} writes acknowledged");
            }

            _output.WriteLine($"{expected} writes acknowledged after {clock.Elapsed.TotalSeconds:0.0}s");
            await UntilAsync(
                subscribers,
                s => s.Last == expected,
                changed,
                $"all {Subscribers} subscribers to receive notifications 1..{expected}",
                Deadline - clock.Elapsed);
            AssertNoneFailed(subscribers);
            _output.WriteLine($"every subscriber had all {expected} notifications after {clock.Elapsed.TotalSeconds:0.0}s");
            Assert.All(subscribers, subscriber =>
            {
                Assert.Equal(expected, subscriber.Last);
                Assert.Equal(expected, subscriber.Received);
            });
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

    /// <summary>Waits until every subscriber is <paramref name="done"/>, or one has failed; on timeout, says how far they got.</summary>
    private static async Task UntilAsync(IReadOnlyList<Subscriber> subscribers, Func<Subscriber, bool> done, SemaphoreSlim changed, string what, TimeSpan deadline)
    {
        try
        {
            await Eventually.HoldsAsync(() => subscribers.All(done) || subscribers.Any(s => s.Error is not null), changed, what, deadline > TimeSpan.Zero ? deadline : TimeSpan.Zero);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(
                $"{ex.Message} within {deadline.TotalSeconds:0}s: {subscribers.Count(done)} of {subscribers.Count} did; "
                + $"the slowest had received up to notification {subscribers.Min(s => s.Last)}, the fastest up to {subscribers.Max(s => s.Last)}",
                ex);
        }
    }

    private static void AssertNoneFailed(IEnumerable<Subscriber> subscribers)
    {
        var errors = subscribers.Where(s => s.Error is not null).Select(s => $"subscriber {s.Number}: {s.Error}").ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(10)));
    }
}
