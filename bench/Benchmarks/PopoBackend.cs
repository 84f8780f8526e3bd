namespace EventSourcing.Benchmarks;

/// <summary>In memory: every application object has its own recorders, so a scope has nothing to clean up.</summary>
public sealed class PopoBackend : Backend
{
    public override string Name => "popo";

    public override string Description => "popo (in memory)";

    public override bool IsDurable => false;

    public override Task<BackendScope> OpenAsync(CancellationToken cancellationToken)
        => Task.FromResult(new BackendScope(
            new Dictionary<string, string> { ["PERSISTENCE_MODULE"] = "popo" },
            () => ValueTask.CompletedTask));
}
