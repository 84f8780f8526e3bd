using System.Text;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Testing;
using EventSourcing.Testing.Persistence.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EventSourcing.Tests.Runners;

/// <summary>
/// The tutorial on durable stores: what is in the tables, what survives a restart, and one system on two backends
/// (the tutorial's exercise 1).
/// </summary>
public sealed class DurableTutorialTests : IAsyncLifetime
{
    private static readonly string[] Plaintext = ["Billy", "Milly", "roll over", "fetch ball"];
    private readonly TempDirectory _directory = new();
    private readonly string _schema = PostgresTestServer.NewSchemaName();
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(120));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _deadline.Dispose();
        _directory.Dispose();
        await PostgresTestServer.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task On_postgres_with_cipher_and_compression_no_plaintext_is_stored_and_state_survives_a_restart()
    {
        var env = PostgresTestServer.Environment(_schema, new Dictionary<string, string>
        {
            ["CIPHER_KEY"] = TutorialSteps.NewCipherKey(),
            ["COMPRESSOR_TOPIC"] = "eventsourcing.compressor:ZlibCompressor",
        });

        await RunTutorialAsync(env);

        var dogStates = await PostgresStatesAsync("dogschool_events");
        var counterStates = await PostgresStatesAsync("counters_events");
        Assert.Equal(9, dogStates.Count);
        Assert.Equal(9, counterStates.Count);
        AssertNoPlaintext(dogStates.Concat(counterStates));
        await TutorialSteps.AssertStateSurvivesAsync(env, _deadline.Token);
        await AssertRestartedRunnerProcessesOnlyNewEventsAsync(env);
    }

    [Fact]
    public async Task On_sqlite_files_with_cipher_no_plaintext_is_stored_and_state_survives_a_restart()
    {
        var env = new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "eventsourcing.sqlite",
            ["DOGSCHOOL_SQLITE_DBNAME"] = _directory.File("dogschool.db"),
            ["COUNTERS_SQLITE_DBNAME"] = _directory.File("counters.db"),
            ["CIPHER_KEY"] = TutorialSteps.NewCipherKey(),
            ["COMPRESSOR_TOPIC"] = "zlib",
        };

        await RunTutorialAsync(env);

        var dogStates = await SqliteStatesAsync(_directory.File("dogschool.db"));
        Assert.Equal(9, dogStates.Count);
        AssertNoPlaintext(dogStates.Concat(await SqliteStatesAsync(_directory.File("counters.db"))));
        await TutorialSteps.AssertStateSurvivesAsync(env, _deadline.Token);
        await AssertRestartedRunnerProcessesOnlyNewEventsAsync(env);
    }

    [Fact]
    public async Task Without_a_cipher_the_stored_state_is_readable_json()
    {
        var env = new Dictionary<string, string>
        {
            ["PERSISTENCE_MODULE"] = "sqlite",
            ["DOGSCHOOL_SQLITE_DBNAME"] = _directory.File("dogschool.db"),
            ["COUNTERS_SQLITE_DBNAME"] = _directory.File("counters.db"),
        };

        await RunTutorialAsync(env);

        var states = await SqliteStatesAsync(_directory.File("dogschool.db"));
        Assert.Contains(states, state => Encoding.UTF8.GetString(state).Contains("Billy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DogSchool_on_postgres_and_Counters_on_a_sqlite_file_run_as_one_system()
    {
        var counters = _directory.File("counters.db");
        var env = PostgresTestServer.Environment(_schema, new Dictionary<string, string>
        {
            ["DOGSCHOOL_PERSISTENCE_MODULE"] = "postgres",
            ["COUNTERS_PERSISTENCE_MODULE"] = "sqlite",
            ["COUNTERS_SQLITE_DBNAME"] = counters,
        });

        await RunTutorialAsync(env);

        Assert.Equal(9, (await PostgresStatesAsync("dogschool_events")).Count);
        Assert.Equal(9, (await SqliteStatesAsync(counters)).Count);
        Assert.Equal(["dogschool_events", "dogschool_log_identity"], await PostgresTablesAsync());
        await using (var connection = new SqliteConnection($"Data Source={counters};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT application_name, MAX(notification_id) FROM tracking GROUP BY application_name";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("DogSchool", reader.GetString(0));
            Assert.Equal(9, reader.GetInt64(1));
        }

        await TutorialSteps.AssertStateSurvivesAsync(env, _deadline.Token);
    }

    private async Task RunTutorialAsync(IReadOnlyDictionary<string, string> env)
    {
        await using var runner = new MultiThreadedRunner(DogSchoolSystem.System, env);
        await runner.StartAsync(_deadline.Token);
        await TutorialSteps.RunAsync(runner, _deadline.Token);
        await runner.StopAsync(_deadline.Token);
    }

    private async Task AssertRestartedRunnerProcessesOnlyNewEventsAsync(IReadOnlyDictionary<string, string> env)
    {
        await using var runner = new SingleThreadedRunner(DogSchoolSystem.System, env);
        await runner.StartAsync(_deadline.Token);
        await runner.Get<IDogSchool>().AddTrickAsync("Milly", "play dead", _deadline.Token);
        await runner.WaitForCatchUpAsync(_deadline.Token);
        await TutorialSteps.AssertCountsAsync(runner.Get<ICounters>(), 3, 2, 2, _deadline.Token);
        await runner.StopAsync(_deadline.Token);
    }

    private static void AssertNoPlaintext(IEnumerable<byte[]> states)
    {
        foreach (var state in states)
        {
            var text = Encoding.UTF8.GetString(state);
            Assert.DoesNotContain(Plaintext, word => text.Contains(word, StringComparison.Ordinal));
        }
    }

    private async Task<List<byte[]>> PostgresStatesAsync(string table)
    {
        await using var connection = await PostgresTestServer.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT state FROM \"{_schema}\".{table} ORDER BY notification_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<byte[]>();
        while (await reader.ReadAsync())
        {
            states.Add(reader.GetFieldValue<byte[]>(0));
        }

        return states;
    }

    private async Task<List<string>> PostgresTablesAsync()
    {
        await using var connection = await PostgresTestServer.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _schema });
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<List<byte[]>> SqliteStatesAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM stored_events ORDER BY notification_id";
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<byte[]>();
        while (await reader.ReadAsync())
        {
            states.Add((byte[])reader.GetValue(0));
        }

        return states;
    }
}
