namespace EventSourcing.Sql;

/// <summary>
/// What a select of notifications asks for: ids from <paramref name="Start"/>, at most <paramref name="Limit"/>, up to
/// <paramref name="Stop"/> when given, of <paramref name="Topics"/> when given (never empty).
/// </summary>
internal sealed record NotificationQuery(long Start, int Limit, long? Stop, string[]? Topics);
