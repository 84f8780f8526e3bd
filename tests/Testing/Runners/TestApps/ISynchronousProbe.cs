namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>A [Remote] interface with a method that is not async, which no runner accepts.</summary>
[Remote]
public interface ISynchronousProbe
{
    int CountEntries();
}
