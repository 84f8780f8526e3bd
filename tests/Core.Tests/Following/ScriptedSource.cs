using System.Runtime.CompilerServices;

namespace EventSourcing.Tests.Following;

/// <summary>A leader that sends the batches it is given, then nothing more, as a buggy or hostile leader might.</summary>
internal sealed class ScriptedSource(string leaderName, params NotificationBatch[] batches) : INotificationSource
{
    public string LeaderName { get; } = leaderName;

    public string Description => $"{LeaderName} (scripted)";

    public async IAsyncEnumerable<NotificationBatch> SubscribeAsync(
        long start,
        IReadOnlyCollection<string>? topics,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            yield return batch;
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
