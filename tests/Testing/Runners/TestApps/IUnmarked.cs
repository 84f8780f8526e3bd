namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>An interface an application implements without marking it [Remote]: no runner hands it out.</summary>
public interface IUnmarked
{
    Task<string> DescribeAsync(CancellationToken cancellationToken = default);
}
