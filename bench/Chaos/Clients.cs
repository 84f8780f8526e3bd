using EventSourcing.Examples.DogSchool;
using Grpc.Core;

namespace EventSourcing.Chaos;

/// <summary>
/// Clients that each teach their own dogs a trick after another, as fast as the school answers, whatever is being
/// killed: a command that fails is not sent again (it may or may not have been recorded), the next one is.
/// </summary>
internal static class Clients
{
    public const int DogsPerClient = 10;

    public static readonly string[] Tricks = [.. Enumerable.Range(0, 10).Select(i => $"trick {i}")];

    public static async Task RunAsync(IDogSchool school, int client, Tally tally, CancellationToken stopping)
    {
        var registered = new HashSet<string>(StringComparer.Ordinal);
        for (var command = 0; !stopping.IsCancellationRequested; command++)
        {
            var dog = $"client {client} dog {command % DogsPerClient}";
            var trick = Tricks[(command / DogsPerClient) % Tricks.Length];
            try
            {
                if (registered.Add(dog))
                {
                    await RegisterAsync(school, dog, stopping);
                }

                await school.AddTrickAsync(dog, trick, stopping);
                tally.Acknowledge(trick);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is EventSourcingException or RpcException)
            {
                // The node or its database is down, or the command was cut off: it may or may not be recorded.
                registered.Remove(dog);
                tally.Fail();
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            }
        }
    }

    /// <summary>Registers the dog; one that exists already (an earlier attempt was recorded) is registered.</summary>
    private static async Task RegisterAsync(IDogSchool school, string dog, CancellationToken cancellationToken)
    {
        try
        {
            await school.RegisterDogAsync(dog, cancellationToken);
        }
        catch (ConcurrencyException)
        {
            // Registered by an attempt whose answer was lost.
        }
    }
}
