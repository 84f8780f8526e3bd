namespace EventSourcing.Popo;

/// <summary>Everything in memory; gone when the process ends.</summary>
public sealed class PopoPersistenceModule : PersistenceModule
{
    public override string Name => "popo";

    public override string Description => "popo (in memory)";

    public override IApplicationRecorder CreateApplicationRecorder() => new PopoApplicationRecorder();

    public override IProcessRecorder CreateProcessRecorder() => new PopoProcessRecorder();

    public override IAggregateRecorder CreateSnapshotRecorder() => new PopoAggregateRecorder();
}
