namespace EventSourcing.UserSystem;

[Remote]
public interface ILibrary
{
    Task AcquireAsync(string title, CancellationToken cancellationToken = default);
}
