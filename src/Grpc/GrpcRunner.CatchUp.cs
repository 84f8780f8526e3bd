using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Grpc;

public sealed partial class GrpcRunner
{
    /// <summary>
    /// Completes when every follower's position has reached its leaders' maximum notification ids, and those
    /// maxima did not move in the meantime (so what followers recorded in turn has been processed too).
    /// Asks every node's Status, again after a short growing pause while not caught up. Re-raises a failed pipe's error.
    /// </summary>
    public async Task WaitForCatchUpAsync(CancellationToken cancellationToken = default)
    {
        var pause = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(200), jitter: false);
        Dictionary<string, ulong>? previous = null;
        while (true)
        {
            // Leaders' maxima first, then positions: a position read later that reaches an earlier maximum is caught up.
            var maxima = new Dictionary<string, ulong>(StringComparer.Ordinal);
            foreach (var node in _nodes.Values)
            {
                maxima[node.Name] = (await node.Client.StatusAsync(cancellationToken)).MaxNotificationId;
            }

            var caughtUp = true;
            foreach (var name in System.Followers)
            {
                var status = await _nodes[name].Client.StatusAsync(cancellationToken);
                foreach (var pipe in status.Leaders)
                {
                    if (pipe.State == Proto.PipeState.Failed)
                    {
                        throw new RunnerFailedException(new EventSourcingException($"{name} stopped following {pipe.Name}: {pipe.LastError}"));
                    }

                    // Past the leader's maximum is not caught up: the leader's log was rolled back, and the pipe is about to fail.
                    caughtUp &= pipe.Position == maxima[pipe.Name];
                }
            }

            if (caughtUp && previous is not null && maxima.All(m => previous[m.Key] == m.Value))
            {
                return;
            }

            previous = caughtUp ? maxima : null;
            if (!caughtUp)
            {
                await Task.Delay(pause.Next(), cancellationToken);
            }
        }
    }

    private async Task<Exception?> FirstFailureAsync(CancellationToken cancellationToken)
    {
        foreach (var name in System.Followers)
        {
            if (!_nodes.TryGetValue(name, out var node))
            {
                continue;
            }

            var status = await node.Client.StatusAsync(cancellationToken);
            if (status.Leaders.FirstOrDefault(p => p.State == Proto.PipeState.Failed) is { } failed)
            {
                return new EventSourcingException($"{name} stopped following {failed.Name}: {failed.LastError}");
            }
        }

        return null;
    }
}
