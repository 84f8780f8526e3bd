using EventSourcing.Grpc;
using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Sqlite;
using EventSourcing.Testing.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>
/// The tutorial on the <see cref="GrpcRunner"/> with <see cref="GrpcRunnerOptions.PipelineCalls"/>: every call on a
/// node's one stream of calls; each node on its own SQLite file in the test's own directory.
/// </summary>
public sealed class DogSchoolTutorialGrpcPipelinedSqliteFileTests(ITestOutputHelper output) : DogSchoolTutorialTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => new GrpcRunner(
            system,
            SqliteTestSettings.FilePerApplication(system, _directory.Path, env),
            new GrpcRunnerOptions { PipelineCalls = true, Output = (name, line) => TestLog.Write(output, $"[{name}] {line}") });

    protected override Task<IReadOnlyList<(Notification Notification, EventMetadata? Metadata)>> ReadLogAsync<TApplication>(IRunner runner)
        => GrpcRunners.ReadLogAsync(runner, typeof(TApplication).Name);
}
