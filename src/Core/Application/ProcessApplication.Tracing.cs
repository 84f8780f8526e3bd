using System.Diagnostics;
using EventSourcing.Diagnostics;

namespace EventSourcing;

public abstract partial class ProcessApplication
{
    /// <summary>
    /// Starts the span of processing <paramref name="notification"/>, named <c>process {Leader} {Topic}</c>, a child of
    /// the trace context the upstream event was recorded in (so across processes it joins the command's trace). Null
    /// when nobody listens to <see cref="Telemetry.ActivitySource"/>.
    /// </summary>
    private static Activity? StartProcessing(string leaderName, Notification notification, EventMetadata? upstream)
    {
        if (!Telemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        var parent = upstream is not null && upstream.TryGetTraceContext(out var context) ? context : default;
        var activity = Telemetry.ActivitySource.StartActivity($"process {leaderName} {notification.Topic}", ActivityKind.Consumer, parent);
        activity?.SetTag("eventsourcing.leader", leaderName);
        activity?.SetTag("eventsourcing.notification_id", notification.Id);
        activity?.SetTag("eventsourcing.topic", notification.Topic);
        return activity;
    }

    /// <summary>
    /// The metadata of events recorded for <paramref name="tracking"/>'s notification: the upstream correlation id (a
    /// new one for an upstream event without metadata), the notification as causation, and the trace context of the
    /// processing span, or the upstream one when no span was started (nobody listening).
    /// </summary>
    private static EventMetadata MetadataCausedBy(Tracking tracking, EventMetadata? upstream, Activity? processing)
    {
        var causation = new Causation(tracking.ApplicationName, tracking.NotificationId);
        var correlationId = upstream?.CorrelationId ?? Correlation.NewId();
        return processing is { IdFormat: ActivityIdFormat.W3C, Id: { } id }
            ? new EventMetadata(correlationId, causation, id, processing.TraceStateString)
            : new EventMetadata(correlationId, causation, upstream?.TraceParent, upstream?.TraceState);
    }
}
