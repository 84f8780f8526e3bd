namespace EventSourcing;

/// <summary>How much a <see cref="NotificationFeed"/> keeps, and how it reads. Every property states its default.</summary>
public sealed class NotificationFeedOptions
{
    /// <summary>The most recent notifications kept in memory for subscribers that have caught up. Default 10,000.</summary>
    public int KeptNotifications { get; init; } = 10_000;

    /// <summary>The most bytes of stored state kept, whatever their count. Default 64 MiB.</summary>
    public long KeptBytes { get; init; } = 64L << 20;

    /// <summary>
    /// How many subscribers older than what is kept may read the log at once (the others wait their turn), so that a
    /// crowd catching up does not take every connection of the store from the application. Default 4.
    /// </summary>
    public int CatchUpReaders { get; init; } = 4;

    /// <summary>
    /// How many subscriber wake-ups a second the feed allows itself under load: with S subscribers it reads at most
    /// this / S times a second (300 subscribers: every 30 ms), so that commits that come meanwhile go out together in
    /// fewer, fuller frames rather than one frame per subscriber per commit. A read after a quiet spell is not delayed.
    /// Default 10,000.
    /// </summary>
    public int MaxWakeupsPerSecond { get; init; } = 10_000;

    /// <summary>The first wait before the feed's reader tries again after a store error. Default 100 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait before the feed's reader tries again. Default 10 seconds.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);
}
