namespace EventSourcing.Examples.DogSchool;

[Remote]
public interface ICounters
{
    /// <summary>How many times the trick was added to any dog; 0 when never.</summary>
    Task<int> GetCountAsync(string trick, CancellationToken cancellationToken = default);
}
