using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.V1;

namespace EventSourcing.Node.Hosting;

/// <summary>The one application a node hosts, with what the node knows about its place in the system.</summary>
internal sealed class HostedApplication : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, Uri> _leaders;

    private HostedApplication(string systemName, EventSystem system, Application application, IReadOnlyDictionary<string, Uri> leaders)
    {
        _leaders = leaders;
        SystemName = systemName;
        System = system;
        Application = application;
        Dispatcher = new RemoteDispatcher(application, application.Name);
        Feed = new NotificationFeed(application);
        var leads = system.FollowersOf(application.Name).Count > 0;
        var follows = system.LeadersOf(application.Name).Count > 0;
        Role = (leads, follows) switch
        {
            (true, true) => Role.Processor,
            (true, false) => Role.Leader,
            (false, true) => Role.Follower,
            _ => Role.Single,
        };
    }

    public string SystemName { get; }

    public EventSystem System { get; }

    public Application Application { get; }

    public RemoteDispatcher Dispatcher { get; }

    /// <summary>The application's log as every Subscribe stream of the node reads it: one store read per commit for all.</summary>
    public NotificationFeed Feed { get; }

    public Role Role { get; }

    /// <summary>The address the node is listening on, once it is.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>Where the node follows <paramref name="leader"/>, as given on its command line.</summary>
    public string LeaderUrl(string leader) => NodeCommandLine.Address(_leaders[leader]);

    /// <summary>
    /// Finds the system the options name and constructs the application they name, with settings from the process
    /// environment (overlaid with <paramref name="env"/>), after checking that the options give an address for each of
    /// its leaders and no other.
    /// </summary>
    public static HostedApplication Create(NodeOptions options, IReadOnlyDictionary<string, string>? env = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (systemName, system) = SystemCatalog.Find(options.System, options.Assemblies);
        var applicationName = options.Application;
        if (!system.Contains(applicationName))
        {
            throw new ConfigurationException(
                $"System {systemName} has no application named '{applicationName}' (it has {string.Join(", ", system.Nodes)})");
        }

        var leaders = system.LeadersOf(applicationName);
        var missing = leaders.Where(l => !options.Leaders.ContainsKey(l)).ToList();
        if (missing.Count > 0)
        {
            throw new ConfigurationException($"{applicationName} follows {string.Join(", ", missing)}: give {NodeCommandLine.LeaderOption} NAME=URL for each");
        }

        var unknown = options.Leaders.Keys.Concat(options.AcceptNewLeaderLogs).Where(l => !leaders.Contains(l)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw new ConfigurationException($"{applicationName} does not follow {string.Join(", ", unknown)} in system {systemName}");
        }

        return new HostedApplication(systemName, system, system.CreateApplication(applicationName, env), options.Leaders);
    }

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        await Application.DisposeAsync();
    }
}
