namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>A tally whose policy throws on any text that starts with "poison".</summary>
public sealed class Faulty(IReadOnlyDictionary<string, string>? env = null) : TallyApplication(env), IFaulty
{
    protected override Task HandleAsync(Notebook.Written written, ProcessingEvent processingEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        if (written.Text.StartsWith("poison", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Cannot digest '{written.Text}'");
        }

        return base.HandleAsync(written, processingEvent, cancellationToken);
    }
}
