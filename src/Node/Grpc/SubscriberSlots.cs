using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;

namespace EventSourcing.Node.Grpc;

/// <summary>The node's cap on Subscribe streams served at once (<c>--max-subscribers</c>).</summary>
internal sealed class SubscriberSlots(NodeOptions options)
{
    private int _taken;

    public int Max => options.MaxSubscribers;

    private string Application => options.Application;

    /// <summary>How many streams are open now.</summary>
    public int Taken => Volatile.Read(ref _taken);

    /// <summary>A slot, released when disposed; RESOURCE_EXHAUSTED (reason TOO_MANY_SUBSCRIBERS) when all are taken.</summary>
    public Slot Take()
    {
        if (Interlocked.Increment(ref _taken) > Max)
        {
            Interlocked.Decrement(ref _taken);
            throw ErrorContract.TooManySubscribers(Max);
        }

        SubscribeTelemetry.SubscribersChanged(Application, 1);
        return new Slot(this);
    }

    internal readonly struct Slot(SubscriberSlots slots) : IDisposable
    {
        public void Dispose()
        {
            Interlocked.Decrement(ref slots._taken);
            SubscribeTelemetry.SubscribersChanged(slots.Application, -1);
        }
    }
}
