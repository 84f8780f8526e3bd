namespace EventSourcing.UserSystem;

[Remote]
public interface INewsletter
{
    Task<int> CountAnnouncementsAsync(CancellationToken cancellationToken = default);
}
