using System.Reflection;
using System.Runtime.ExceptionServices;

namespace EventSourcing.Node.Hosting;

/// <summary>The one application a node hosts, with what the node knows about its place in the system.</summary>
public sealed class HostedApplication : IAsyncDisposable
{
    private HostedApplication(string systemName, EventSystem system, Application application)
    {
        SystemName = systemName;
        System = system;
        Application = application;
        Dispatcher = new RemoteDispatcher(application, application.Name);
        var leads = system.FollowersOf(application.Name).Count > 0;
        var follows = system.LeadersOf(application.Name).Count > 0;
        Role = (leads, follows) switch
        {
            (true, true) => "processor",
            (true, false) => "leader",
            (false, true) => "follower",
            _ => "single",
        };
    }

    public string SystemName { get; }

    public EventSystem System { get; }

    public Application Application { get; }

    public RemoteDispatcher Dispatcher { get; }

    /// <summary>leader, follower, processor or single.</summary>
    public string Role { get; }

    /// <summary>The address the node is listening on, once it is.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>Constructs the application named <paramref name="applicationName"/> of the system, with settings from the process environment.</summary>
    public static HostedApplication Create(string systemName, EventSystem system, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (!system.Contains(applicationName))
        {
            throw new ConfigurationException(
                $"System {systemName} has no application named '{applicationName}' (it has {string.Join(", ", system.Nodes)})");
        }

        var type = system.GetApplicationType(applicationName);
        try
        {
            var application = (Application)(type.GetConstructor([typeof(IReadOnlyDictionary<string, string>)]) is { } withEnv
                ? withEnv.Invoke([null])
                : Activator.CreateInstance(type) ?? throw new ProgrammingException($"Could not construct {type.Name}"));
            return new HostedApplication(systemName, system, application);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Application.DisposeAsync();
}
