using EventSourcing.Popo;

namespace EventSourcing.Tests.Persistence.Popo;

public class ProcessRecorderPopoTests : ProcessRecorderTests
{
    protected override Task<IProcessRecorder> CreateProcessRecorderAsync() => Task.FromResult<IProcessRecorder>(new PopoProcessRecorder());

    protected override bool CanOpenTheSameTablesTwice => false;
}
