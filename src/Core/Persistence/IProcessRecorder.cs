namespace EventSourcing;

/// <summary>An application recorder that also records which upstream notifications were processed.</summary>
public interface IProcessRecorder : IApplicationRecorder
{
    /// <summary>
    /// Writes the events, the tracking rows and the view changes of <paramref name="batch"/> in one transaction.
    /// A tracking row that exists already, or an event conflict, raises <see cref="IntegrityException"/>
    /// and writes nothing. An empty event list with tracking rows is valid.
    /// </summary>
    Task<IReadOnlyList<long>> InsertAsync(RecordingBatch batch, CancellationToken cancellationToken = default);

    /// <summary>The greatest processed notification id of <paramref name="applicationName"/>, 0 when none. Never decreases.</summary>
    Task<long> MaxTrackingIdAsync(string applicationName, CancellationToken cancellationToken = default);

    Task<bool> HasTrackingIdAsync(string applicationName, long notificationId, CancellationToken cancellationToken = default);
}
