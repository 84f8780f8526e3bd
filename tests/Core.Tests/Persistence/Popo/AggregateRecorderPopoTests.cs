using EventSourcing.Popo;

namespace EventSourcing.Tests.Persistence.Popo;

public class AggregateRecorderPopoTests : AggregateRecorderTests
{
    protected override Task<IAggregateRecorder> CreateAggregateRecorderAsync() => Task.FromResult<IAggregateRecorder>(new PopoAggregateRecorder());
}
