namespace EventSourcing;

/// <summary>A saved event and the notification id it was recorded under.</summary>
public sealed record Recording(DomainEvent DomainEvent, long NotificationId);
