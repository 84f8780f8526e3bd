using System.Diagnostics.Metrics;
using EventSourcing.Diagnostics;

namespace EventSourcing.Node.Grpc;

/// <summary>The Subscribe streams a node serves, as <see cref="Telemetry.Meter"/> counts them: frames sent, streams open.</summary>
internal static class SubscribeTelemetry
{
    private static readonly Counter<long> Frames = Telemetry.Meter.CreateCounter<long>(
        TelemetryNames.SubscribeFrames, "{frame}", "Frames sent on Subscribe streams");

    private static readonly UpDownCounter<long> Subscribers = Telemetry.Meter.CreateUpDownCounter<long>(
        TelemetryNames.Subscribers, "{subscriber}", "Subscribe streams being served");

    public static void FrameSent(string application)
    {
        if (Frames.Enabled)
        {
            Frames.Add(1, new KeyValuePair<string, object?>(TelemetryNames.ApplicationTag, application));
        }
    }

    /// <summary>Counts a stream opened (<paramref name="change"/> 1) or closed (-1).</summary>
    public static void SubscribersChanged(string application, int change)
    {
        if (Subscribers.Enabled)
        {
            Subscribers.Add(change, new KeyValuePair<string, object?>(TelemetryNames.ApplicationTag, application));
        }
    }
}
