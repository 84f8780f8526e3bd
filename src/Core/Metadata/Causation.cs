using System.Text.Json.Serialization;

namespace EventSourcing;

/// <summary>The notification that caused an event: the leader application's name and the notification's id in its log.</summary>
public sealed record Causation(
    [property: JsonPropertyName("application_name")] string ApplicationName,
    [property: JsonPropertyName("notification_id")] long NotificationId)
{
    public override string ToString() => $"{ApplicationName}#{NotificationId}";
}
