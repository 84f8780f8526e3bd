using EventSourcing.Grpc;
using EventSourcing.Testing.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>The tutorial on the <see cref="GrpcRunner"/>, every node in memory (POPO).</summary>
public sealed class DogSchoolTutorialGrpcPopoTests(ITestOutputHelper output) : DogSchoolTutorialTests
{
    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => GrpcRunners.Create(system, new Dictionary<string, string>(env) { ["PERSISTENCE_MODULE"] = "popo" }, output);

    protected override Task<IReadOnlyList<(Notification Notification, EventMetadata? Metadata)>> ReadLogAsync<TApplication>(IRunner runner)
        => GrpcRunners.ReadLogAsync(runner, typeof(TApplication).Name);
}
