namespace EventSourcing.Diagnostics;

/// <summary>
/// The names of the instruments of <see cref="Telemetry.Meter"/> and of the tags (attributes) they carry, after
/// OpenTelemetry's semantic conventions: what exporters show (Prometheus writes dots as underscores, and adds
/// <c>_total</c> to counters and <c>_seconds</c> to durations).
/// </summary>
public static class TelemetryNames
{
    /// <summary>Counter of remote calls (<c>Application.Call</c>) a node served, by application, method and outcome.</summary>
    public const string Commands = "eventsourcing.commands";

    /// <summary>Counter of events an application recorded (committed): its commands' and its policies'.</summary>
    public const string EventsRecorded = "eventsourcing.events.recorded";

    /// <summary>Counter of a leader's notifications a follower processed (recorded with their tracking), by follower and leader.</summary>
    public const string NotificationsProcessed = "eventsourcing.notifications.processed";

    /// <summary>Gauge of how many notifications a follower's pipe is behind its leader, as last heard, by follower and leader.</summary>
    public const string PipeLag = "eventsourcing.pipe.lag";

    /// <summary>Gauge, by follower, leader and state: 1 for the state a pipe is in, 0 for the others.</summary>
    public const string PipeState = "eventsourcing.pipe.state";

    /// <summary>Histogram of the seconds one commit of a SQL store took, writes committed together counted once.</summary>
    public const string CommitDuration = "eventsourcing.commit.duration";

    /// <summary>Histogram of how many writes (saves, processed batches) one commit of a SQL store took together.</summary>
    public const string CommitWrites = "eventsourcing.commit.writes";

    /// <summary>
    /// Counter of the notifications of commits (PostgreSQL's <c>pg_notify</c>, sent after commits) that failed, by
    /// application and store: listeners in other processes then hear of those commits only when they next read the
    /// log's maximum (within a second).
    /// </summary>
    public const string CommitAnnouncementsFailed = "eventsourcing.commit.announcements.failed";

    /// <summary>Counter of the frames a node sent on its Subscribe streams.</summary>
    public const string SubscribeFrames = "eventsourcing.subscribe.frames";

    /// <summary>Up-down counter of the Subscribe streams a node is serving.</summary>
    public const string Subscribers = "eventsourcing.subscribers";

    /// <summary>Tag: the application (for a pipe, the follower).</summary>
    public const string ApplicationTag = "eventsourcing.application";

    /// <summary>Tag: the remote method called, as it is called (<c>AddTrick</c>).</summary>
    public const string MethodTag = "eventsourcing.method";

    /// <summary>Tag: <see cref="Ok"/> or <see cref="Error"/>.</summary>
    public const string OutcomeTag = "eventsourcing.outcome";

    /// <summary>Tag: the leader a pipe follows.</summary>
    public const string LeaderTag = "eventsourcing.leader";

    /// <summary>Tag: a pipe's state, lower case (<c>connecting</c>, <c>running</c>, <c>retrying</c>, <c>failed</c>, <c>stopped</c>).</summary>
    public const string StateTag = "eventsourcing.state";

    /// <summary>Tag: the store (<c>sqlite</c>, <c>postgres</c>).</summary>
    public const string StoreTag = "eventsourcing.store";

    /// <summary>Tag of a failed call: the type of the exception that ended it (OpenTelemetry's <c>error.type</c>).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>The outcome of a call that returned.</summary>
    public const string Ok = "ok";

    /// <summary>The outcome of a call that threw.</summary>
    public const string Error = "error";
}
