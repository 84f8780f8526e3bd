using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventSourcing;

/// <summary>
/// Follows one leader: subscribes to its log from the follower's own tracking (max + 1), processes each batch (the
/// new events with the batch's tracking rows, in one transaction), and after an error subscribes again from its
/// tracking, so nothing is lost or applied twice whatever dies when. The one follower loop: the multi-threaded runner
/// runs it over a <see cref="LocalNotificationSource"/>, a node over a leader's gRPC Subscribe stream.
/// </summary>
public sealed partial class LeaderPipe
{
    private readonly ProcessApplication _follower;
    private readonly INotificationSource _source;
    private readonly PipeOptions _options;
    private readonly ILogger _logger;
    private readonly Backoff _backoff;
    private readonly Lock _lock = new();
    private PipeState _state = PipeState.Connecting;
    private long _position;
    private long _leaderMax;
    private Guid? _leaderLogId;
    private string? _lastError;
    private int _reconnects;
    private Exception? _error;

    public LeaderPipe(ProcessApplication follower, INotificationSource source, PipeOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(follower);
        ArgumentNullException.ThrowIfNull(source);
        _follower = follower;
        _source = source;
        _options = options ?? new PipeOptions();
        _logger = logger ?? NullLogger.Instance;
        _backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
    }

    /// <summary>Raised after each batch the pipe processed (and after its position moved).</summary>
    public event Action? Progressed;

    public string Leader => _source.LeaderName;

    public ProcessApplication Follower => _follower;

    /// <summary>Every notification of the leader up to this id has been processed (or was of no interest).</summary>
    public long Position
    {
        get
        {
            lock (_lock)
            {
                return _position;
            }
        }
    }

    /// <summary>The error that stopped the pipe, once it has <see cref="PipeState.Failed"/>.</summary>
    public Exception? Error
    {
        get
        {
            lock (_lock)
            {
                return _error;
            }
        }
    }

    public PipeStatus Status
    {
        get
        {
            lock (_lock)
            {
                return new PipeStatus(Leader, _source.Description, _state, _position, _leaderMax, _leaderLogId, _lastError, _reconnects);
            }
        }
    }

    /// <summary>Reads how far the follower's tracking of the leader goes; the pipe's position moves up to it, never back.</summary>
    public async Task<long> ReadTrackingAsync(CancellationToken cancellationToken = default)
    {
        var tracked = await _follower.Recorder.MaxTrackingIdAsync(Leader, cancellationToken);
        lock (_lock)
        {
            _position = Math.Max(_position, tracked);
            return _position;
        }
    }

    /// <summary>
    /// Processes one batch: its notifications with their tracking rows in one transaction (those already tracked are
    /// skipped), decoded with the follower's settings for the leader; then moves the position to the batch's.
    /// A policy error raises <see cref="PolicyException"/>, the notifications before it being recorded; a batch from
    /// a replaced or rolled-back leader log, or one that breaks the log's order, <see cref="LeaderLogException"/>.
    /// Returns false, having processed nothing, when the pipe accepted a new leader log instead
    /// (<see cref="PipeOptions.AcceptNewLeaderLog"/>): the log must be read again from the pipe's new position.
    /// </summary>
    public async Task<bool> ProcessAsync(NotificationBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long position;
        lock (_lock)
        {
            // What the leader says of itself counts even when the batch then fails: Status shows the true lag.
            _leaderMax = batch.MaxNotificationId;
            _leaderLogId = batch.LogId;
            position = _position;
        }

        if (!await CheckLogAsync(batch, position, cancellationToken))
        {
            return false;
        }

        CheckOrder(batch, position);
        if (batch.Notifications.Count > 0)
        {
            await _follower.ProcessAsync(Leader, batch.Notifications, cancellationToken);
            Diagnostics.Instruments.NotificationsWereProcessed(_follower.Name, Leader, batch.Notifications.Count);
        }

        lock (_lock)
        {
            _position = Math.Max(_position, batch.Position);
            _lastError = null;
        }

        Progressed?.Invoke();
        return true;
    }

    /// <summary>
    /// Follows the leader until <paramref name="stopping"/> is cancelled, or until an error the options do not retry
    /// stops the pipe (then <see cref="Status"/> says <see cref="PipeState.Failed"/> and <see cref="Error"/> holds it).
    /// Returns rather than throws in both cases.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        Diagnostics.PipeGauges.Observe(this, stopping);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await FollowAsync(stopping))
                {
                    continue;
                }

                throw new OperationalException($"{_source.Description} ended the subscription", isTransient: true);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // Stopping: whatever the cancellation broke off ends the loop.
                break;
            }
            catch (PolicyException ex)
            {
                PolicyFailed(_logger, Leader, ex.NotificationId, ex.Message, ex.InnerException);

                // The notifications of the batch before the failing one were recorded: report them as processed.
                await RefreshPositionAsync(stopping);
                if (_options.OnPolicyError == PolicyErrorBehaviour.Stop)
                {
                    Fail(ex);
                    return;
                }

                await RetryLaterAsync(ex.Message, stopping);
            }
            catch (LeaderLogException ex)
            {
                LeaderLogRejected(_logger, _source.Description, ex.Message);
                Fail(ex);
                return;
            }
            catch (Exception ex) when (IsFault(ex) || _options.RetryOtherErrors)
            {
                Disconnected(_logger, _source.Description, ex.Message);
                await RetryLaterAsync(ex.Message, stopping);
            }
            catch (Exception ex)
            {
                Fail(ex);
                return;
            }
        }

        Set(PipeState.Stopped, null);
    }

    /// <summary>
    /// True for an error that passes by itself and is retried with backoff, never stopping a pipe: a store that
    /// cannot be reached, is restarting, busy or timing out, or a leader that cannot be reached
    /// (<see cref="OperationalException"/>). A policy's own error is a <see cref="PolicyException"/> instead.
    /// </summary>
    public static bool IsFault(Exception error) => error is OperationalException;

    /// <summary>Subscribes from the tracking position and processes what comes; true when it must subscribe again at once.</summary>
    private async Task<bool> FollowAsync(CancellationToken stopping)
    {
        Set(PipeState.Connecting, null);
        var start = await ReadTrackingAsync(stopping) + 1;
        var subscribed = false;
        await foreach (var batch in _source.SubscribeAsync(start, _follower.FollowTopics, stopping))
        {
            if (!subscribed)
            {
                subscribed = true;
                Subscribed(_logger, _source.Description, start);
                Set(PipeState.Running, null);
            }

            if (!await ProcessAsync(batch, stopping))
            {
                return true;
            }

            _backoff.Reset();
        }

        return false;
    }

    private async Task RefreshPositionAsync(CancellationToken stopping)
    {
        try
        {
            await ReadTrackingAsync(stopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Status shows the older position until the pipe reads its tracking again on subscribing.
            TrackingUnreadable(_logger, Leader, ex.Message);
        }
    }

    private async Task RetryLaterAsync(string error, CancellationToken stopping)
    {
        Set(PipeState.Retrying, error);
        Interlocked.Increment(ref _reconnects);
        try
        {
            await Task.Delay(_backoff.Next(), stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends.
        }
    }

    private void Fail(Exception error)
    {
        lock (_lock)
        {
            _error = error;
        }

        Set(PipeState.Failed, error.Message);
        Progressed?.Invoke();
    }

    private void Set(PipeState state, string? error)
    {
        lock (_lock)
        {
            _state = state;
            if (error is not null)
            {
                _lastError = error;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following {Source} from notification {Start}")]
    private static partial void Subscribed(ILogger logger, string source, long start);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost {Source}: {Error}; trying again with backoff")]
    private static partial void Disconnected(ILogger logger, string source, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the tracking position of {Leader}: {Error}")]
    private static partial void TrackingUnreadable(ILogger logger, string leader, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopped following {Source}: {Error}")]
    private static partial void LeaderLogRejected(ILogger logger, string source, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Policy failed on notification {NotificationId} of {Leader}: {Error}")]
    private static partial void PolicyFailed(ILogger logger, string leader, long notificationId, string error, Exception? exception);
}
