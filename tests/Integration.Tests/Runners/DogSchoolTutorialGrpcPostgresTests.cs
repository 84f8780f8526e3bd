using EventSourcing.Grpc;
using EventSourcing.Testing.Persistence.Postgres;
using EventSourcing.Testing.Runners;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests.Runners;

/// <summary>
/// The tutorial on the <see cref="GrpcRunner"/> with every node on PostgreSQL (in the test's own schema), the
/// stored state compressed and encrypted; Counters decrypts what it reads from DogSchool with DogSchool's key.
/// </summary>
public sealed class DogSchoolTutorialGrpcPostgresTests(ITestOutputHelper output) : DogSchoolTutorialTests, IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => GrpcRunners.Create(system, PostgresTestServer.Environment(_schema, new Dictionary<string, string>(env)
        {
            ["CIPHER_KEY"] = AesCipher.CreateKey(),
            ["COMPRESSOR_TOPIC"] = "eventsourcing.compressor:ZlibCompressor",
        }), output);

    protected override Task<IReadOnlyList<(Notification Notification, EventMetadata? Metadata)>> ReadLogAsync<TApplication>(IRunner runner)
        => GrpcRunners.ReadLogAsync(runner, typeof(TApplication).Name);
}
