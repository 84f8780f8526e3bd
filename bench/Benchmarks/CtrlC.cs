namespace EventSourcing.Benchmarks;

/// <summary>Ctrl-C as a cancellation, so that a benchmark stops what it started (nodes, stores) instead of dying.</summary>
public static class CtrlC
{
    public static CancellationTokenSource Cancels()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return cancel;
    }
}
