using EventSourcing.Popo;

namespace EventSourcing.Tests.Persistence.Popo;

public class ApplicationRecorderPopoTests : ApplicationRecorderTests
{
    protected override Task<IApplicationRecorder> CreateApplicationRecorderAsync() => Task.FromResult<IApplicationRecorder>(new PopoApplicationRecorder());

    protected override bool CanOpenTheSameTablesTwice => false;
}
