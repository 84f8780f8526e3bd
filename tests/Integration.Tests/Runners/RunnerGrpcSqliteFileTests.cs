using EventSourcing.Grpc;
using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Sqlite;
using EventSourcing.Testing.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>The runner contract on the <see cref="GrpcRunner"/>, each node on its own SQLite file in the test's own directory, so state outlives a runner.</summary>
public sealed class RunnerGrpcSqliteFileTests(ITestOutputHelper output) : RunnerTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => GrpcRunners.Create(system, SqliteTestSettings.FilePerApplication(system, _directory.Path, env), output);
}
