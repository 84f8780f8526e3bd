using System.Runtime.InteropServices;

namespace EventSourcing.Node.Hosting;

/// <summary>
/// The lifetime of a node that a runner started (<c>--parent-pid</c>): SIGTERM stops it gracefully, but SIGINT and
/// SIGQUIT are left to the runner. Ctrl-C in a terminal reaches every process of the foreground group, nodes
/// included; the runner stops them itself, once, instead of seeing them exit under it and restarting them.
/// </summary>
internal sealed class SupervisedLifetime(IHostApplicationLifetime lifetime) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            lifetime.StopApplication();
        }));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context => context.Cancel = true));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
