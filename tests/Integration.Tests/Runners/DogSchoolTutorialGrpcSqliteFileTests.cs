using EventSourcing.Grpc;
using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Sqlite;
using EventSourcing.Testing.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>The tutorial on the <see cref="GrpcRunner"/>, each node on its own SQLite file in the test's own directory.</summary>
public class DogSchoolTutorialGrpcSqliteFileTests(ITestOutputHelper output) : DogSchoolTutorialTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    /// <summary>The runner's <see cref="GrpcRunnerOptions.PipelineCalls"/>.</summary>
    protected virtual bool PipelineCalls => false;

    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => GrpcRunners.Create(system, SqliteTestSettings.FilePerApplication(system, _directory.Path, env), output, PipelineCalls);

    protected override Task<IReadOnlyList<(Notification Notification, EventMetadata? Metadata)>> ReadLogAsync<TApplication>(IRunner runner)
        => GrpcRunners.ReadLogAsync(runner, typeof(TApplication).Name);
}

/// <summary>The same with <see cref="GrpcRunnerOptions.PipelineCalls"/>: every call on its node's one stream of calls.</summary>
public sealed class DogSchoolTutorialGrpcPipelinedSqliteFileTests(ITestOutputHelper output) : DogSchoolTutorialGrpcSqliteFileTests(output)
{
    protected override bool PipelineCalls => true;
}
