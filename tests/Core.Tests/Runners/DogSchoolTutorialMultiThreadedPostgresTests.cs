using EventSourcing.Testing.Persistence.Postgres;
using EventSourcing.Testing.Runners;

namespace EventSourcing.Tests.Runners;

/// <summary>
/// The tutorial on PostgreSQL with the multi-threaded runner, the stored state compressed and encrypted
/// (as the tutorial does "just for fun"), in the test's own schema.
/// </summary>
public sealed class DogSchoolTutorialMultiThreadedPostgresTests : DogSchoolTutorialTests, IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);

    protected override IRunner CreateRunner(EventSystem system, IReadOnlyDictionary<string, string> env)
        => new MultiThreadedRunner(system, PostgresTestServer.Environment(_schema, new Dictionary<string, string>(env)
        {
            ["PERSISTENCE_MODULE"] = "eventsourcing.postgres",
            ["CIPHER_TOPIC"] = "eventsourcing.cipher:AESCipher",
            ["CIPHER_KEY"] = TutorialSteps.NewCipherKey(),
            ["COMPRESSOR_TOPIC"] = "eventsourcing.compressor:ZlibCompressor",
        }));
}
