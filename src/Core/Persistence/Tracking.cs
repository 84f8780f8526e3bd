namespace EventSourcing;

/// <summary>Records that notification <paramref name="NotificationId"/> of the upstream application <paramref name="ApplicationName"/> was processed.</summary>
public sealed record Tracking(string ApplicationName, long NotificationId);
