namespace EventSourcing.Testing.Runners.TestApps;

[Remote]
public interface IPing : IRallyPlayer
{
    /// <summary>Makes the first hit of a rally that ends at hit number <paramref name="limit"/>.</summary>
    Task ServeAsync(int limit, CancellationToken cancellationToken = default);
}
