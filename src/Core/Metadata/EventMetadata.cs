using System.Diagnostics;
using System.Text.Json.Serialization;

namespace EventSourcing;

/// <summary>
/// What a stored event says about where it came from, kept in a column of its own beside the state (and compressed and
/// encrypted like it): the correlation id of the command that started the chain, the notification that caused it
/// (for events a process application's policy recorded; null for a command's own events), and the W3C trace context
/// of the activity that was current when the event was recorded. Events recorded before metadata existed have none.
/// </summary>
/// <param name="CorrelationId">The correlation id of the command that started the chain: taken from the caller, or new for each command.</param>
/// <param name="Causation">The upstream notification this event was recorded for, or null for a command's own events.</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> of the activity current when the event was recorded, if any.</param>
/// <param name="TraceState">The W3C <c>tracestate</c> that came with <paramref name="TraceParent"/>, if any.</param>
public sealed record EventMetadata(
    [property: JsonPropertyName("correlation_id")] string? CorrelationId,
    [property: JsonPropertyName("causation")] Causation? Causation = null,
    [property: JsonPropertyName("traceparent")] string? TraceParent = null,
    [property: JsonPropertyName("tracestate")] string? TraceState = null)
{
    /// <summary>
    /// The metadata of a command's events: the correlation id of <see cref="Correlation.CurrentId"/> (a new one when
    /// none was given) and the trace context of <see cref="Activity.Current"/>.
    /// </summary>
    public static EventMetadata ForCommand()
    {
        var correlationId = Correlation.CurrentId ?? Correlation.NewId();
        return Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } traceParent } activity
            ? new EventMetadata(correlationId, null, traceParent, activity.TraceStateString)
            : new EventMetadata(correlationId);
    }

    /// <summary>
    /// The trace context of <see cref="TraceParent"/> and <see cref="TraceState"/>, marked remote; false when there is
    /// none or it is not a valid <c>traceparent</c>.
    /// </summary>
    public bool TryGetTraceContext(out ActivityContext context)
    {
        context = default;
        return TraceParent is not null && ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out context);
    }
}
