namespace EventSourcing.UserSystem;

[Remote]
public interface ICatalogue
{
    Task<int> CountTitlesAsync(CancellationToken cancellationToken = default);
}
